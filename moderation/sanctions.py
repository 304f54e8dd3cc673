"""Sanctions: warn, mute for N days or suspend an account, with a reason
the person is told; each one is an entry in the audit log."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from moderation import audit
from moderation.models import ModerationAction, Sanction
from notifications import services as notification_services
from notifications.models import Notification

MAX_DAYS = 365


def _ends_at(kind: str, days: int | None):
    if kind == Sanction.Kind.WARN:
        return None
    if kind == Sanction.Kind.MUTE and not days:
        raise ValidationError({"days": _("Say for how many days to mute.")})
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose between 1 and %(max)d days.") % {"max": MAX_DAYS}}
        )
    return timezone.now() + timedelta(days=days) if days else None


def tell(user: User, action: ModerationAction, kind: str) -> None:
    notification_services.notify(
        users=[user],
        kind=kind,
        key=f"moderation:{action.pk}",
        url=reverse("moderation:mine"),
    )


@transaction.atomic
def sanction_impose(
    *, moderator: User, user: User, kind: str, reason: str, days: int | None = None
) -> Sanction:
    """Warn, mute (for ``days``) or suspend (for ``days``, or until
    lifted) ``user``; they are told why."""
    if not moderator.has_perm("moderation.sanction_user"):
        raise PermissionDenied(_("Only site-wide moderators can sanction accounts."))
    if user.pk == moderator.pk:
        raise PermissionDenied(_("You cannot sanction your own account."))
    if kind not in Sanction.Kind.values:
        raise ValidationError({"kind": _("Choose warn, mute or suspend.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the person will read.")})
    sanction = Sanction(
        user=user,
        kind=kind,
        reason=reason[:2000],
        ends_at=_ends_at(kind, days),
        created_by=moderator,
    )
    sanction.full_clean()
    sanction.save()
    action = audit.action_record(
        kind=kind, actor=moderator, target=sanction, reason=sanction.reason
    )
    tell(user, action, Notification.Kind.SANCTIONED)
    return sanction


def sanction_lift(*, sanction: Sanction) -> None:
    """End a sanction now (an upheld appeal); the caller logs why."""
    Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
