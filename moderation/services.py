"""Moderators' decisions on consultation comments.

Each decision locks the comment, changes it, dismisses its open reports
and appends one entry to the audit log with the comment as it was.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations import selectors as consultation_selectors
from consultations.models import Comment
from consultations.services import comments as comment_services
from moderation import audit
from moderation.models import Flag, ModerationAction
from notifications import services as notification_services
from notifications.models import Notification

Kind = ModerationAction.Kind
BULK_LIMIT = 100


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


def _locked(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation", "author")
        .get(pk=comment.pk)
    )


def _tell_author(comment: Comment, kind: str, action: ModerationAction) -> None:
    if comment.author is None:
        return
    notification_services.notify(
        users=[comment.author],
        kind=kind,
        key=f"moderation:{action.pk}",
        url=reverse("moderation:mine"),
        consultation=comment.consultation,
        comment=comment,
    )


def comment_show(*, comment: Comment) -> None:
    """Make a locked comment visible again (counts, replies, reports)."""
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


def comment_withdraw(*, comment: Comment, status: str, reason: str) -> None:
    """Take a locked comment out of public view (hidden or pending)."""
    if comment.parent_id and comment.status == Comment.Status.VISIBLE:
        Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    comment.status = status
    comment.hidden_reason = reason[:300]
    comment.save(update_fields=["status", "hidden_reason"])
    _counts_changed(comment)


@transaction.atomic
def comment_approve(*, moderator: User, comment: Comment) -> Comment:
    """Make a pending or hidden comment visible and dismiss its reports."""
    _require_moderator(moderator, comment)
    comment = _locked(comment)
    snapshot = audit.comment_snapshot(comment)
    comment_show(comment=comment)
    audit.action_record(
        kind=Kind.APPROVE, actor=moderator, target=comment, snapshot=snapshot
    )
    return comment


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason[:300]


@transaction.atomic
def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason; its author is told."""
    _require_moderator(moderator, comment)
    reason = _reason(reason, _("Give a public reason for hiding it."))
    comment = _locked(comment)
    snapshot = audit.comment_snapshot(comment)
    comment_withdraw(comment=comment, status=Comment.Status.HIDDEN, reason=reason)
    _resolve_flags(comment)
    action = audit.action_record(
        kind=Kind.HIDE,
        actor=moderator,
        target=comment,
        reason=reason,
        snapshot=snapshot,
    )
    _tell_author(comment, Notification.Kind.CONTENT_HIDDEN, action)
    return comment


@transaction.atomic
def comment_request_edit(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Ask the author to edit: the comment stays as it is, its reports are
    dismissed and the author is told what to change."""
    _require_moderator(moderator, comment)
    reason = _reason(reason, _("Tell the author what to change."))
    comment = _locked(comment)
    _resolve_flags(comment)
    action = audit.action_record(
        kind=Kind.REQUEST_EDIT, actor=moderator, target=comment, reason=reason
    )
    _tell_author(comment, Notification.Kind.EDIT_REQUESTED, action)
    return comment


@transaction.atomic
def comment_escalate(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Leave the decision to a site-wide moderator: the comment stays in
    the queue, marked escalated."""
    _require_moderator(moderator, comment)
    reason = _reason(reason, _("Say why it needs another moderator."))
    comment = _locked(comment)
    audit.action_record(
        kind=Kind.ESCALATE, actor=moderator, target=comment, reason=reason
    )
    return comment


DECISIONS = {
    "approve": lambda moderator, comment, reason: comment_approve(
        moderator=moderator, comment=comment
    ),
    "hide": lambda moderator, comment, reason: comment_hide(
        moderator=moderator, comment=comment, reason=reason
    ),
    "request_edit": lambda moderator, comment, reason: comment_request_edit(
        moderator=moderator, comment=comment, reason=reason
    ),
    "escalate": lambda moderator, comment, reason: comment_escalate(
        moderator=moderator, comment=comment, reason=reason
    ),
}


@transaction.atomic
def comments_decide(
    *, moderator: User, comment_ids: list[int], decision: str, reason: str = ""
) -> int:
    """The same decision on many comments (a mass campaign), all or none;
    return how many were decided."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    ids = sorted(set(comment_ids))
    if not ids:
        raise ValidationError(_("Select at least one comment."))
    if len(ids) > BULK_LIMIT:
        raise ValidationError(
            _("Decide at most %(n)d comments at once.") % {"n": BULK_LIMIT}
        )
    comments = list(Comment.objects.filter(pk__in=ids).select_related("consultation"))
    if len(comments) != len(ids):
        raise ValidationError(_("Some of the selected comments no longer exist."))
    for comment in comments:
        DECISIONS[decision](moderator, comment, reason)
    return len(comments)
