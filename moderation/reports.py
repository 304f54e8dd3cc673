"""Reports: a resident sends an item (any kind in moderation.content) to
the moderators with a reason; one report per person per item. Authors are
never told who reported them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from moderation import content, screening
from moderation.models import Flag


@transaction.atomic
def content_report(*, user: User, item, reason: str, text: str = "") -> Flag:
    """Report ``item``; a second report by the same person changes nothing.
    Enough distinct reports hide it pending review (moderation.screening)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to report content."))
    if item.author_id == user.pk:
        raise PermissionDenied(_("You cannot report what you wrote."))
    if item.status == content.REMOVED:
        raise ValidationError(_("Its author removed it."))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason for the report.")})
    text = (text or "").replace("\x00", "").strip()
    if reason == Flag.Reason.OTHER and not text:
        raise ValidationError({"text": _("Tell the moderators what is wrong.")})
    flag, created = Flag.objects.get_or_create(
        content_type=content.kind_of(item).content_type,
        object_id=item.pk,
        reporter=user,
        defaults={"reason": reason, "text": text[:1000]},
    )
    if created:
        screening.content_reported(item=item)
    return flag
