"""Appeals: the author of hidden content, or a sanctioned person, contests
the decision once with text; a moderator other than the one who decided
upholds (reverses the decision) or rejects it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from moderation import audit, content, sanctions, services
from moderation.models import Appeal, ModerationAction, Sanction
from notifications.models import Notification

Kind = ModerationAction.Kind
APPEALABLE = [Kind.HIDE, Kind.WARN, Kind.MUTE, Kind.SUSPEND]


def _target(action: ModerationAction):
    """The comment or sanction a decision was about, locked."""
    model = action.content_type.model_class()
    return model.objects.select_for_update(of=("self",)).get(pk=action.object_id)


def _still_in_force(action: ModerationAction, target) -> bool:
    if content.is_content(target):
        return target.status == content.HIDDEN
    return target.lifted_at is None and (
        target.ends_at is None or target.ends_at > timezone.now()
    )


@transaction.atomic
def appeal_file(*, user: User, action: ModerationAction, text: str) -> Appeal:
    """Contest ``action`` (a hide of one's content or a sanction), once."""
    if action.subject_id != user.pk or action.kind not in APPEALABLE:
        raise PermissionDenied(_("You can only appeal decisions about you."))
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": _("Say why the decision is wrong.")})
    target = _target(action)
    if action.kind != Kind.WARN and not _still_in_force(action, target):
        raise ValidationError(_("This decision is no longer in force."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                action=action, appellant=user, text=text[:2000]
            )
    except IntegrityError:
        raise ValidationError(_("You have already appealed this decision.")) from None
    audit.action_record(
        kind=Kind.APPEAL,
        actor=user,
        target=target,
        subject=user,
        department_id=action.department_id,
        reason=appeal.text,
    )
    return appeal


def may_decide(*, moderator: User, appeal: Appeal) -> bool:
    """Whether ``moderator`` may decide ``appeal`` (not their own decision,
    and content or accounts they moderate)."""
    target = appeal.action.content
    if target is None:
        return False
    try:
        _require_decider(moderator, appeal, target)
    except PermissionDenied:
        return False
    return True


def _require_decider(moderator: User, appeal: Appeal, target) -> None:
    if appeal.action.actor_id == moderator.pk:
        raise PermissionDenied(
            _("Another moderator must decide an appeal against your decision.")
        )
    if isinstance(target, Sanction):
        allowed = moderator.has_perm("moderation.sanction_user")
    else:
        allowed = moderator.has_perm("moderation.moderate_content", target)
    if not allowed:
        raise PermissionDenied(_("You cannot decide this appeal."))


@transaction.atomic
def appeal_decide(
    *, moderator: User, appeal: Appeal, uphold: bool, reason: str
) -> Appeal:
    """Uphold (reverse the decision: restore the content, lift the
    sanction) or reject an open appeal; the appellant is told."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("action", "action__content_type", "appellant")
        .get(pk=appeal.pk)
    )
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal was already decided."))
    target = _target(appeal.action)
    _require_decider(moderator, appeal, target)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for your decision.")})
    snapshot = (
        content.snapshot(target)
        if content.is_content(target)
        else audit.sanction_snapshot(target)
    )
    if uphold and content.is_content(target):
        services.content_show(item=target)
    elif uphold:
        sanctions.sanction_lift(sanction=target)
    appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
    appeal.decided_by = moderator
    appeal.decision_reason = reason[:2000]
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
    action = audit.action_record(
        kind=Kind.APPEAL_UPHELD if uphold else Kind.APPEAL_REJECTED,
        actor=moderator,
        target=target,
        subject=appeal.appellant,
        department_id=appeal.action.department_id,
        reason=appeal.decision_reason,
        snapshot=snapshot,
    )
    sanctions.tell(appeal.appellant, action, Notification.Kind.APPEAL_DECIDED)
    return appeal
