"""Demo consultations in every state, written through the services so the
data obeys the same rules as real use.

A consultation that should lie in the past is run while open (comments,
replies, supports) and then has its dates moved back, because the services
rightly refuse comments on a closed consultation. Idempotent: a
consultation whose title exists already is left alone.
"""

import uuid
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from civic.models import Area, Department, Topic
from consultations import demo_content as content
from consultations.models import ClosingExtension, Comment, Consultation, Outcome
from consultations.services import comments as comment_services
from consultations.services import lifecycle, outcomes
from moderation import services as moderation_services

Status = Consultation.Status
KEY_NAMESPACE = uuid.UUID("6f1d3c1e-2b8a-4f51-9d0e-3c7a5b1e8d42")


def seed() -> int:
    """Create the demo consultations that do not exist yet; return how
    many were created."""
    people = _people()
    created = 0
    for spec in content.CONSULTATIONS:
        if Consultation.objects.filter(title=spec.title).exists():
            continue
        _build(spec, people, timezone.now())
        created += 1
    return created


def _people() -> dict[str, User]:
    """Demo accounts by the local part of their email; the extra residents
    are created with a verified email."""
    password = None
    for local, name, area_code in content.RESIDENTS:
        email = f"{local}@minyi.example"
        if not User.objects.filter(email=email).exists():
            # They share a password: hash it once (hashing is slow on purpose).
            password = password or make_password(content.RESIDENT_PASSWORD)
            user = User.objects.create(
                email=email,
                password=password,
                display_name=name,
                home_area=Area.objects.get(code=area_code),
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
    return {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith="@minyi.example")
    }


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, "/".join(str(p) for p in parts))


def _fresh(consultation: Consultation) -> Consultation:
    # Status predicates read the outcome relation, which a stale instance
    # has cached; read the row again after each step.
    return Consultation.objects.get(pk=consultation.pk)


def _build(spec: content.Spec, people: dict[str, User], now: datetime) -> None:
    official = people[spec.official]
    consultation = lifecycle.consultation_create(
        user=official,
        department=Department.objects.get(slug=spec.department),
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        topics=list(Topic.objects.filter(slug__in=spec.topics)),
        moderation=spec.moderation,
    )
    lifecycle.consultation_set_scope(
        user=official,
        consultation=consultation,
        areas=list(Area.objects.filter(code__in=spec.areas)),
    )
    lifecycle.document_replace(
        user=official, consultation=consultation, markdown=spec.document
    )
    opens_at = now + timedelta(days=spec.opens_in)
    closes_at = opens_at + timedelta(days=spec.days)
    # Open long enough to take the comments; past periods are moved back
    # afterwards.
    lifecycle.consultation_set_schedule(
        user=official,
        consultation=consultation,
        opens_at=opens_at,
        closes_at=max(closes_at, now + timedelta(days=1)),
    )
    if spec.state == Status.DRAFT:
        return
    lifecycle.consultation_publish(user=official, consultation=consultation)
    if spec.state == Status.SCHEDULED:
        Consultation.objects.filter(pk=consultation.pk).update(
            created_at=now - timedelta(days=5), published_at=now - timedelta(days=1)
        )
        return
    last = min(closes_at, now) - timedelta(hours=1)
    tagged = _discussion(spec, consultation, people, opens_at, last)
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=opens_at - timedelta(days=9),
        published_at=opens_at - timedelta(days=2),
    )
    if spec.extension:
        _extend(spec, _fresh(consultation), official, now)
    if spec.state == Status.OPEN:
        return
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes_at)
    if spec.state == Status.CLOSED:
        return
    _respond(spec, _fresh(consultation), official, tagged)
    responded_at = closes_at + timedelta(days=spec.responded_after)
    Outcome.objects.filter(consultation=consultation).update(published_at=responded_at)
    if spec.state == Status.RESPONDED:
        return
    lifecycle.consultation_archive(user=official, consultation=_fresh(consultation))
    Consultation.objects.filter(pk=consultation.pk).update(
        archived_at=responded_at + timedelta(days=spec.archived_after)
    )


def _discussion(
    spec: content.Spec,
    consultation: Consultation,
    people: dict[str, User],
    first: datetime,
    last: datetime,
) -> dict[str, Comment]:
    """Post the comments, replies, supports, edits, withdrawals and reports
    of ``spec``, spread between ``first`` and ``last``; return the tagged
    comments."""
    sections = {s.anchor: s for s in consultation.sections.all()}
    span = last - first
    tagged = {}
    for n, said in enumerate(spec.said):
        comment, _created = comment_services.comment_post(
            user=people[said.who],
            consultation=consultation,
            body=said.body,
            stance=said.stance,
            section=sections[said.section] if said.section else None,
            idempotency_key=_key(spec.title, n),
        )
        if said.addendum:
            comment_services.comment_edit(
                user=people[said.who],
                comment=comment,
                body=f"{said.body}\n\n{said.addendum}",
            )
        if spec.moderation == Consultation.Moderation.PRE and not said.pending:
            _approve(comment, people)
        posted_at = min(_daytime(first + span * (n + 0.5) / len(spec.said)), last)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=posted_at,
            edited_at=posted_at + timedelta(minutes=7) if said.addendum else None,
        )
        for r, reply in enumerate(said.replies):
            _reply(spec, comment, people, n, r, reply, posted_at, last)
        for supporter in said.supporters:
            comment_services.support_toggle(
                user=people[supporter], comment=_comment(comment.pk)
            )
        if said.reported:
            reporter, reason = said.reported
            comment_services.comment_report(
                user=people[reporter], comment=comment, reason=reason
            )
        if said.withdrawn:
            comment_services.comment_delete(
                user=people[said.who], comment=_comment(comment.pk)
            )
        if said.tag:
            tagged[said.tag] = comment
    return tagged


def _daytime(moment: datetime) -> datetime:
    """``moment`` moved out of the small hours (Beijing time), when few
    people write to their government."""
    if timezone.localtime(moment).hour < 7:
        return moment + timedelta(hours=8)
    return moment


def _comment(pk: int) -> Comment:
    return Comment.objects.select_related("consultation").get(pk=pk)


def _reply(spec, parent, people, n, r, reply, posted_at, last) -> None:
    comment, _created = comment_services.comment_reply(
        user=people[reply.who],
        parent=_comment(parent.pk),
        body=reply.body,
        official=reply.official,
        idempotency_key=_key(spec.title, n, r),
    )
    if comment.status == Comment.Status.PENDING:
        _approve(comment, people)
    replied_at = min(_daytime(posted_at + timedelta(hours=5 * (r + 1))), last)
    Comment.objects.filter(pk=comment.pk).update(created_at=replied_at)


def _approve(comment: Comment, people: dict[str, User]) -> None:
    moderation_services.comment_approve(moderator=people["moderator"], comment=comment)


def _extend(spec, consultation, official, now) -> None:
    days, reason = spec.extension
    extension = lifecycle.consultation_extend(
        user=official,
        consultation=consultation,
        closes_at=consultation.closes_at + timedelta(days=days),
        reason=reason,
    )
    ClosingExtension.objects.filter(pk=extension.pk).update(
        created_at=now - timedelta(days=2)
    )


def _respond(spec, consultation, official, tagged) -> None:
    sections = {s.anchor: s for s in consultation.sections.all()}
    outcomes.outcome_save_summary(
        user=official, consultation=consultation, summary=spec.outcome_summary
    )
    for decision in spec.decisions:
        outcomes.outcome_item_save(
            user=official,
            consultation=consultation,
            theme=decision.theme,
            what_was_said=decision.what_was_said,
            decision=decision.decision,
            reason=decision.reason,
            section=sections.get(decision.section),
            comments=[tagged[tag] for tag in decision.comments],
        )
    outcomes.outcome_publish(user=official, consultation=_fresh(consultation))
