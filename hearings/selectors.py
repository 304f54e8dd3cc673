"""Reads of hearings shared by pages, feeds and the console.

Visibility lives here: a hearing is public once its consultation is
published; questions and testimony are public once a moderator let them
through (their authors see their own pending ones).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from civic.models import Department
from consultations import rules as consultation_rules
from consultations import selectors as consultation_selectors
from consultations.models import Consultation
from hearings.models import (
    Hearing,
    LiveQuestion,
    QuestionUpvote,
    Registration,
    Testimony,
)

State = Hearing.State
WHEN = ("upcoming", "past")
Visible = LiveQuestion.Status.VISIBLE


def public_hearings() -> QuerySet[Hearing]:
    return Hearing.objects.filter(
        consultation__published_at__isnull=False
    ).select_related("consultation", "consultation__department")


def _upcoming_q(now) -> Q:
    return Q(ends_at__gt=now) & ~Q(state__in=[State.ENDED, State.RECORD_PUBLISHED])


@dataclass(frozen=True)
class HearingFilters:
    when: str = "upcoming"
    department: Department | None = None
    q: str = ""


def hearing_list(*, filters: HearingFilters) -> QuerySet[Hearing]:
    """Upcoming hearings soonest first, or past ones latest first."""
    now = timezone.now()
    hearings = public_hearings()
    if filters.department is not None:
        hearings = hearings.filter(consultation__department=filters.department)
    if filters.q:
        hearings = hearings.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(consultation__title__icontains=filters.q)
        )
    if filters.when == "past":
        return hearings.exclude(_upcoming_q(now)).order_by("-starts_at", "-pk")
    return hearings.filter(_upcoming_q(now)).order_by("starts_at", "pk")


def upcoming_hearings(*, limit: int = 5) -> list[Hearing]:
    """The next hearings, for the home page and the calendar feed."""
    return list(
        public_hearings()
        .filter(_upcoming_q(timezone.now()))
        .order_by("starts_at")[:limit]
    )


def hearing_for(*, pk: int, user: User) -> Hearing | None:
    """The hearing if ``user`` may see it: public, or their department's."""
    hearing = (
        Hearing.objects.select_related(
            "consultation",
            "consultation__department",
            "current_item",
            "now_speaking__user",
        )
        .filter(pk=pk)
        .first()
    )
    if hearing is None:
        return None
    if hearing.consultation.published_at is None and not (
        consultation_rules.is_department_official(user, hearing.consultation)
    ):
        return None
    return hearing


def registration_of(*, hearing: Hearing, user: User) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(hearing=hearing, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def waiting_position(*, registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(
            hearing_id=registration.hearing_id,
            status=Registration.Status.WAITING,
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def speakers(*, hearing: Hearing) -> list[Registration]:
    """Approved speakers in the order they speak."""
    return list(
        Registration.objects.filter(
            hearing=hearing,
            status=Registration.Status.REGISTERED,
            speaker=Registration.Speaker.APPROVED,
        )
        .select_related("user")
        .order_by("speaker_position", "pk")
    )


def remaining_seconds(*, hearing: Hearing) -> int | None:
    """How long the current speaker has left, computed by the server."""
    if hearing.now_speaking_id is None or hearing.speaking_since is None:
        return None
    allowed = hearing.speaker_minutes * 60
    spent = (timezone.now() - hearing.speaking_since).total_seconds()
    return max(0, int(allowed - spent))


def testimony_public(
    *, hearing: Hearing, user: User, moderator: bool = False
) -> list[Testimony]:
    """Published testimony, and what moderators hid (shown with the
    reason); its authors and moderators also see what waits."""
    pending = Q(status=LiveQuestion.Status.PENDING)
    shown = Q(status__in=[Visible, LiveQuestion.Status.HIDDEN])
    if moderator:
        shown |= pending
    elif user.is_authenticated:
        shown |= pending & Q(author=user)
    return list(
        hearing.testimonies.filter(shown).select_related("author", "author_area")
    )


def qa_version(*, hearing_id: int) -> int | None:
    """The question list's version: one cheap query per poll."""
    return (
        Hearing.objects.filter(pk=hearing_id)
        .values_list("qa_version", flat=True)
        .first()
    )


def poll_hearing(*, pk: int) -> Hearing | None:
    """Only what the polled question list needs of a hearing (the list's
    version, the status, who may see it), in one query."""
    return (
        Hearing.objects.select_related("consultation")
        .only(
            "qa_version",
            "state",
            "starts_at",
            "ends_at",
            "consultation__published_at",
            "consultation__department_id",
        )
        .filter(pk=pk)
        .first()
    )


def questions(*, hearing: Hearing, user: User, moderator: bool) -> dict:
    """The live question list: being answered first, then open questions
    by upvotes, then answered ones, then those moderators hid (shown with
    the reason, not merged duplicates); moderators also get the pending
    ones, and each author sees their own pending question."""
    shown = Q(status=Visible) | Q(
        status=LiveQuestion.Status.HIDDEN, merged_into__isnull=True
    )
    if moderator:
        shown |= Q(status=LiveQuestion.Status.PENDING)
    elif user.is_authenticated:
        shown |= Q(status=LiveQuestion.Status.PENDING, author=user)
    rows = hearing.questions.filter(shown).select_related("author")
    if user.is_authenticated:
        rows = rows.annotate(
            upvoted=Exists(
                QuestionUpvote.objects.filter(question=OuterRef("pk"), user=user)
            )
        )
    rows = list(rows.order_by("-upvote_count", "created_at", "pk"))
    Answer = LiveQuestion.Answer
    return {
        "pending": [q for q in rows if q.status == LiveQuestion.Status.PENDING],
        "answering": [
            q
            for q in rows
            if q.status == Visible and q.answer_state == Answer.ANSWERING
        ],
        "open": [
            q for q in rows if q.status == Visible and q.answer_state == Answer.OPEN
        ],
        "answered": [
            q for q in rows if q.status == Visible and q.answer_state == Answer.ANSWERED
        ],
        "hidden": [q for q in rows if q.status == LiveQuestion.Status.HIDDEN],
    }


def upvoted_ids(*, hearing: Hearing, user: User) -> set[int]:
    """The questions of ``hearing`` that ``user`` upvoted."""
    return set(
        QuestionUpvote.objects.filter(
            user=user, question__hearing_id=hearing.pk
        ).values_list("question_id", flat=True)
    )


def pending_questions(*, hearing: Hearing) -> list[tuple[int | None, str]]:
    """Author and text of each question waiting for a moderator (each
    author sees their own)."""
    return list(
        hearing.questions.filter(status=LiveQuestion.Status.PENDING)
        .order_by("created_at", "pk")
        .values_list("author_id", "body")
    )


def answered_questions(*, hearing: Hearing) -> list[LiveQuestion]:
    return list(
        hearing.questions.filter(
            status=Visible, answer_state=LiveQuestion.Answer.ANSWERED
        ).order_by("created_at", "pk")
    )


# Console ----------------------------------------------------------------------


def official_hearings(*, user: User) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(consultation__department__memberships__user=user)
        .select_related("consultation", "consultation__department")
        .annotate(
            pending_speakers=Count(
                "registrations",
                filter=Q(registrations__speaker=Registration.Speaker.REQUESTED),
            )
        )
        .order_by("-starts_at", "-pk")
    )


def consultations_for_hearings(*, user: User) -> list:
    """The department's consultations a hearing can be added to."""
    consultations = (
        Consultation.objects.filter(
            department__memberships__user=user,
        )
        .filter(
            consultation_selectors.status_q(Consultation.Status.SCHEDULED)
            | consultation_selectors.status_q(Consultation.Status.OPEN)
        )
        .order_by("-opens_at")
    )
    return list(consultations[:50])


def registrations(*, hearing: Hearing) -> list[Registration]:
    return list(
        hearing.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def testimony_queue(*, hearing: Hearing) -> list[Testimony]:
    return list(
        hearing.testimonies.filter(status=LiveQuestion.Status.PENDING).select_related(
            "author"
        )
    )


@dataclass(frozen=True)
class PendingItems:
    questions: list[LiveQuestion]
    testimonies: list[Testimony]
    question_count: int
    testimony_count: int


def moderated_hearings(*, user: User) -> QuerySet[Hearing]:
    """The hearings ``user`` moderates: all of them for a site-wide
    moderator, else those of the departments they moderate or work for
    (the ``hearings.moderate_hearing`` rule, as a query)."""
    if user.moderator_roles.filter(department__isnull=True).exists():
        return Hearing.objects.all()
    return Hearing.objects.filter(
        Q(consultation__department_id__in=user.moderator_roles.values("department_id"))
        | Q(consultation__department_id__in=user.memberships.values("department_id"))
    )


def pending_items(*, user: User, limit: int = 50) -> PendingItems:
    """Live questions and written testimony waiting for a moderator, across
    the hearings ``user`` moderates, oldest first."""
    hearings = moderated_hearings(user=user).values("pk")
    waiting = {"hearing__in": hearings, "status": LiveQuestion.Status.PENDING}
    questions = LiveQuestion.objects.filter(**waiting)
    testimonies = Testimony.objects.filter(**waiting)
    oldest_first = ("created_at", "pk")
    return PendingItems(
        questions=list(
            questions.select_related("hearing", "author").order_by(*oldest_first)[
                :limit
            ]
        ),
        testimonies=list(
            testimonies.select_related("hearing", "author").order_by(*oldest_first)[
                :limit
            ]
        ),
        question_count=questions.count(),
        testimony_count=testimonies.count(),
    )
