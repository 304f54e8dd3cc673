"""Moderation decisions on consultation comments.

The moderation issue adds the queue, sanctions, appeals and the audit log;
until then these two decisions let pre-moderated comments be approved and
abusive ones hidden with a public reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations import selectors as consultation_selectors
from consultations.models import Comment
from consultations.services import comments as comment_services
from moderation.models import Flag


def _require_moderator(user: User, comment: Comment) -> None:
    if not user.has_perm("moderation.moderate_consultation", comment.consultation):
        raise PermissionDenied(_("You do not moderate this consultation."))


def _counts_changed(comment: Comment) -> None:
    """The public pages cache comment counts; drop them after the commit."""
    transaction.on_commit(
        lambda: consultation_selectors.comment_counts_forget(
            consultation_id=comment.consultation_id
        )
    )


def _resolve_flags(comment: Comment) -> None:
    Flag.objects.filter(
        content_type__app_label="consultations",
        content_type__model="comment",
        object_id=comment.pk,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now())


@transaction.atomic
def comment_approve(*, moderator: User, comment: Comment) -> Comment:
    """Make a pending or hidden comment visible and dismiss its reports."""
    _require_moderator(moderator, comment)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    was_counted = comment.status == Comment.Status.VISIBLE
    comment.status = Comment.Status.VISIBLE
    comment.hidden_reason = ""
    comment.save(update_fields=["status", "hidden_reason"])
    _counts_changed(comment)
    if comment.parent_id and not was_counted:
        Comment.objects.filter(pk=comment.parent_id).update(
            reply_count=F("reply_count") + 1
        )
        comment_services.reply_announce(reply=comment)
    _resolve_flags(comment)
    return comment


@transaction.atomic
def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason."""
    _require_moderator(moderator, comment)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a public reason for hiding it.")})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id and comment.status == Comment.Status.VISIBLE:
        Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    comment.status = Comment.Status.HIDDEN
    comment.hidden_reason = reason.strip()[:300]
    comment.save(update_fields=["status", "hidden_reason"])
    _counts_changed(comment)
    _resolve_flags(comment)
    return comment
