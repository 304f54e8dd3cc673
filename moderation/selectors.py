"""Reads about moderation shared by other apps."""

from datetime import timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from civic.models import Department
from consultations.models import Comment
from moderation.models import Appeal, Flag, ModerationAction, Sanction

AGES = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7)}


def active_sanction(*, user) -> Sanction | None:
    """The mute or suspension in force for ``user``, if any."""
    if not user.is_authenticated:
        return None
    return Sanction.objects.active().filter(user=user).order_by("-ends_at").first()


def _open_flags():
    return Flag.objects.filter(
        content_type__app_label="consultations",
        content_type__model="comment",
        object_id=OuterRef("pk"),
        resolved_at__isnull=True,
    ).order_by()


def moderated_department_ids(*, moderator) -> list[int | None]:
    """The departments ``moderator`` covers; None in the list: site-wide."""
    return list(moderator.moderator_roles.values_list("department_id", flat=True))


def queue_departments(*, roles: list[int | None]) -> QuerySet[Department]:
    """The departments a moderator with ``roles`` may filter by."""
    departments = Department.objects.order_by("name_zh", "pk")
    if None in roles:
        return departments
    return departments.filter(pk__in=roles)


def comment_queue(
    *, moderator, filters: dict | None = None, roles: list | None = None
) -> QuerySet[Comment]:
    """Comments awaiting a decision in what ``moderator`` covers: pending
    (pre-moderation, held by a filter, hidden after reports) or reported,
    most reported and longest waiting first.

    ``filters`` (all optional): consultation, department, reason, kind
    ("comment" or "reply"), age ("1h", "24h", "7d"), escalated.
    """
    filters = filters or {}
    if roles is None:
        roles = moderated_department_ids(moderator=moderator)
    if not roles:
        return Comment.objects.none()
    open_flags = _open_flags()
    comments = Comment.objects.annotate(
        flag_count=Coalesce(
            Subquery(
                open_flags.values("object_id").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        first_flag_at=Subquery(
            open_flags.values("object_id")
            .annotate(first=Min("created_at"))
            .values("first"),
            output_field=DateTimeField(),
        ),
    ).filter(Q(status=Comment.Status.PENDING) | Q(flag_count__gt=0))
    # Reported: since the first open report; pending only: since posted.
    comments = comments.annotate(waiting_since=Coalesce("first_flag_at", "created_at"))
    comments = comments.annotate(
        escalated=Exists(
            ModerationAction.objects.filter(
                kind=ModerationAction.Kind.ESCALATE,
                content_type__app_label="consultations",
                content_type__model="comment",
                object_id=OuterRef("pk"),
                created_at__gte=OuterRef("waiting_since"),
            )
        )
    )
    if None not in roles:
        comments = comments.filter(consultation__department_id__in=roles)
    if filters.get("consultation"):
        comments = comments.filter(consultation_id=filters["consultation"])
    if filters.get("department"):
        comments = comments.filter(consultation__department_id=filters["department"])
    if filters.get("reason"):
        comments = comments.filter(Exists(open_flags.filter(reason=filters["reason"])))
    if filters.get("kind") == "comment":
        comments = comments.filter(parent__isnull=True)
    elif filters.get("kind") == "reply":
        comments = comments.filter(parent__isnull=False)
    if filters.get("age") in AGES:
        comments = comments.filter(
            waiting_since__lte=timezone.now() - AGES[filters["age"]]
        )
    if filters.get("escalated"):
        comments = comments.filter(escalated=True)
    return comments.select_related(
        "consultation", "consultation__department", "author", "section", "parent"
    ).order_by("-flag_count", "waiting_since", "pk")


def oldest_waiting(queue: QuerySet[Comment]):
    """When the longest-waiting item of ``queue`` started waiting."""
    return queue.order_by().aggregate(oldest=Min("waiting_since"))["oldest"]


def flag_reasons(*, comment_ids: list[int]) -> dict[int, list[str]]:
    """The open report reasons of each comment, for the queue."""
    reasons: dict[int, list[str]] = {}
    flags = Flag.objects.filter(
        content_type__app_label="consultations",
        content_type__model="comment",
        object_id__in=comment_ids,
        resolved_at__isnull=True,
    ).order_by("created_at")
    for flag in flags:
        reasons.setdefault(flag.object_id, []).append(flag.get_reason_display())
    return reasons


def author_recent(*, author_ids: list[int], per_author: int = 3) -> dict:
    """Each author's latest comments, for context in the queue (one query)."""
    recent: dict[int, list[Comment]] = {}
    rows = (
        Comment.objects.filter(author_id__in=author_ids)
        .annotate(
            rank=Window(RowNumber(), partition_by="author_id", order_by="-created_at")
        )
        .filter(rank__lte=per_author)
        .order_by("author_id", "-created_at")
        .only("pk", "author_id", "consultation_id", "body", "status", "created_at")
    )
    for comment in rows:
        recent.setdefault(comment.author_id, []).append(comment)
    return recent


def audit_entries(*, moderator, filters: dict | None = None):
    """The audit log as ``moderator`` may read it (site-wide: all of it; a
    department's moderator: that department's entries), newest first.

    ``filters``: q (in the reason and the content as it was), kind,
    comment (an id), account (an id), since, until (dates).
    """
    filters = filters or {}
    roles = moderated_department_ids(moderator=moderator)
    entries = ModerationAction.objects.select_related(
        "actor", "subject", "department", "content_type"
    )
    if not roles:
        return entries.none()
    if None not in roles:
        entries = entries.filter(department_id__in=roles)
    if filters.get("q"):
        entries = entries.filter(
            Q(reason__icontains=filters["q"])
            | Q(snapshot__body__icontains=filters["q"])
        )
    if filters.get("kind"):
        entries = entries.filter(kind=filters["kind"])
    if filters.get("comment"):
        entries = entries.filter(
            content_type__app_label="consultations",
            content_type__model="comment",
            object_id=filters["comment"],
        )
    if filters.get("account"):
        entries = entries.filter(
            Q(subject_id=filters["account"]) | Q(actor_id=filters["account"])
        )
    if filters.get("since"):
        entries = entries.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(created_at__date__lte=filters["until"])
    return entries.order_by("-created_at", "-pk")


def recent_sanctions(*, limit: int = 50):
    """The latest sanctions, active or not, for the sanctions page."""
    return Sanction.objects.select_related("user", "created_by").order_by(
        "-created_at", "-pk"
    )[:limit]


APPEALABLE = ["hide", "warn", "mute", "suspend"]


def decisions_about(*, user, limit: int = 50) -> list[ModerationAction]:
    """Hides of ``user``'s content and sanctions of their account, newest
    first, each with its appeal (if any) and the hidden comment."""
    actions = list(
        ModerationAction.objects.filter(subject=user, kind__in=APPEALABLE)
        .select_related("appeal", "content_type")
        .order_by("-created_at", "-pk")[:limit]
    )
    comment_ids = [a.object_id for a in actions if a.content_type.model == "comment"]
    comments = Comment.objects.select_related("consultation").in_bulk(comment_ids)
    for action in actions:
        action.comment = (
            comments.get(action.object_id)
            if action.content_type.model == "comment"
            else None
        )
        action.appeal_or_none = getattr(action, "appeal", None)
    return actions


def open_appeals(*, moderator, roles: list | None = None):
    """Open appeals ``moderator`` may decide: not against their own
    decision; comments in departments they cover; sanctions if they are
    site-wide. Oldest first."""
    if roles is None:
        roles = moderated_department_ids(moderator=moderator)
    appeals = (
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .exclude(action__actor_id=moderator.pk)
        .select_related("action", "action__actor", "action__department", "appellant")
        .order_by("created_at", "pk")
    )
    if not roles:
        return appeals.none()
    if None not in roles:
        appeals = appeals.filter(action__kind="hide", action__department_id__in=roles)
    return appeals
