"""The outcome (意见采纳情况): what the department heard and decided."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import Comment, Consultation, Outcome, OutcomeItem, Section
from consultations.services import lifecycle
from consultations.services.errors import ValidationError, require
from notifications import services as notification_services
from notifications.models import Broadcast, Notification


def _outcome_for_edit(user: User, consultation: Consultation) -> Outcome:
    require(
        user,
        "consultations.write_outcome",
        consultation,
        _("The outcome can be written only by the department, before it is published."),
    )
    outcome, _created = Outcome.objects.get_or_create(
        consultation=consultation, defaults={"summary": ""}
    )
    if outcome.published_at:
        raise ValidationError(_("This outcome is already published."))
    return outcome


@transaction.atomic
def outcome_save_summary(
    *, user: User, consultation: Consultation, summary: str
) -> Outcome:
    outcome = _outcome_for_edit(user, consultation)
    if not summary.strip():
        raise ValidationError(
            {"summary": _("Write a summary of what you heard and decided.")}
        )
    outcome.summary = summary.strip()
    # published_by stays empty until publishing sets it.
    outcome.full_clean(exclude=["published_by"])
    outcome.save()
    return outcome


@transaction.atomic
def outcome_item_save(
    *,
    user: User,
    consultation: Consultation,
    theme: str,
    what_was_said: str,
    decision: str,
    reason: str,
    section: Section | None = None,
    comments: list[Comment] = (),
    item: OutcomeItem | None = None,
) -> OutcomeItem:
    """Add or change one item; ``comments`` are the ones it answers."""
    outcome = _outcome_for_edit(user, consultation)
    if section is not None and section.consultation_id != consultation.pk:
        raise ValidationError(
            {"section": _("This section belongs to another consultation.")}
        )
    foreign = [c for c in comments if c.consultation_id != consultation.pk]
    if foreign:
        raise ValidationError(
            {"comments": _("A comment belongs to another consultation.")}
        )
    if item is None:
        item = OutcomeItem(outcome=outcome, position=outcome.items.count())
    elif item.outcome_id != outcome.pk:
        raise ValidationError(_("This item belongs to another outcome."))
    item.theme = theme.strip()
    item.what_was_said = what_was_said.strip()
    item.decision = decision
    item.reason = reason.strip()
    item.section = section
    item.full_clean()
    item.save()
    Comment.objects.filter(outcome_item=item).exclude(
        pk__in=[c.pk for c in comments]
    ).update(outcome_item=None)
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(outcome_item=item)
    return item


@transaction.atomic
def outcome_item_delete(*, user: User, item: OutcomeItem) -> None:
    _outcome_for_edit(user, item.outcome.consultation)
    item.delete()


@transaction.atomic
def outcome_publish(*, user: User, consultation: Consultation) -> Outcome:
    """Publish the outcome: the consultation becomes responded and every
    participant is notified (in batches, in the background)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(
        user,
        "consultations.publish_outcome",
        consultation,
        _("The outcome can be published only after the consultation closes."),
    )
    outcome = _outcome_for_edit(user, consultation)
    problems = []
    if not outcome.summary.strip():
        problems.append(_("Write a summary before publishing."))
    if not outcome.items.exists():
        problems.append(_("Add at least one item saying what was decided and why."))
    if problems:
        raise ValidationError(problems)
    outcome.published_at = timezone.now()
    outcome.published_by = user
    outcome.save(update_fields=["published_at", "published_by", "updated_at"])
    notification_services.broadcast_start(
        consultation=consultation,
        kind=Notification.Kind.OUTCOME,
        key=f"outcome:{consultation.pk}",
        audience=Broadcast.Audience.PARTICIPANTS,
        url=f"{consultation.get_absolute_url()}#outcome",
    )
    lifecycle.page_changed(consultation.pk)
    return outcome
