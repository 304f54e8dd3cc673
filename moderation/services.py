"""Moderators' decisions on content: consultation comments and replies,
hearings' written testimony and live questions, and suggestions (the kinds
in moderation.content).

Each decision locks the item, changes it, dismisses its open reports and
appends one entry to the audit log with the item as it was.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import Comment
from consultations.services import comments as comment_services
from moderation import alerts, audit, content, visibility
from moderation.models import Flag, ModerationAction
from notifications import services as notification_services
from notifications.models import Notification

Kind = ModerationAction.Kind
BULK_LIMIT = 100


def _require_moderator(user: User, item) -> None:
    if not user.has_perm("moderation.moderate_content", item):
        raise PermissionDenied(_("You do not moderate this content."))


def resolve_flags(item) -> None:
    """Dismiss the open reports of ``item``."""
    Flag.objects.filter(
        content_type=content.kind_of(item).content_type,
        object_id=item.pk,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now())


def _tell_author(item, kind: str, action: ModerationAction) -> None:
    if item.author_id is None:
        return
    extra = {}
    if isinstance(item, Comment):
        extra = {"consultation": item.consultation, "comment": item}
    notification_services.notify(
        users=[item.author],
        kind=kind,
        key=f"moderation:{action.pk}",
        url=reverse("moderation:mine"),
        **extra,
    )


def comment_show(*, comment: Comment) -> None:
    """Make a locked comment visible again (counts, replies, reports)."""
    was_counted = comment.status == Comment.Status.VISIBLE
    visibility.status_set(item=comment, status=content.VISIBLE, reason="")
    if comment.parent_id and not was_counted:
        comment_services.reply_announce(reply=comment)
    resolve_flags(comment)


def content_show(*, item) -> None:
    """Make a locked item visible again and dismiss its reports."""
    if isinstance(item, Comment):
        comment_show(comment=item)
        return
    visibility.status_set(item=item, status=content.VISIBLE, reason="")
    resolve_flags(item)


def comment_withdraw(*, comment: Comment, status: str, reason: str) -> None:
    """Take a locked comment out of public view (hidden or pending)."""
    visibility.status_set(item=comment, status=status, reason=reason)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason[:300]


def _start(moderator: User, item):
    _require_moderator(moderator, item)
    item = content.locked(item)
    if item.status == content.REMOVED:
        raise ValidationError(_("Its author removed it."))
    return item


@transaction.atomic
def content_approve(*, moderator: User, item):
    """Make a pending or hidden item visible and dismiss its reports."""
    item = _start(moderator, item)
    snapshot = content.snapshot(item)
    content_show(item=item)
    action = audit.action_record(
        kind=Kind.APPROVE, actor=moderator, target=item, snapshot=snapshot
    )
    if snapshot.get("status") == "hidden":
        _tell_author(item, Notification.Kind.CONTENT_RESTORED, action)
    return item


@transaction.atomic
def content_hide(*, moderator: User, item, reason: str):
    """Hide an item with a public reason; its author is told."""
    _require_moderator(moderator, item)
    reason = _reason(reason, _("Give a public reason for hiding it."))
    item = _start(moderator, item)
    snapshot = content.snapshot(item)
    visibility.status_set(item=item, status=content.HIDDEN, reason=reason)
    resolve_flags(item)
    action = audit.action_record(
        kind=Kind.HIDE,
        actor=moderator,
        target=item,
        reason=reason,
        snapshot=snapshot,
    )
    _tell_author(item, Notification.Kind.CONTENT_HIDDEN, action)
    return item


@transaction.atomic
def content_request_edit(*, moderator: User, item, reason: str):
    """Ask the author to edit: the item stays as it is, its reports are
    dismissed, the author is told what to change and may edit it once
    (moderation.edits), which sends it back to the queue."""
    _require_moderator(moderator, item)
    reason = _reason(reason, _("Tell the author what to change."))
    item = _start(moderator, item)
    resolve_flags(item)
    action = audit.action_record(
        kind=Kind.REQUEST_EDIT, actor=moderator, target=item, reason=reason
    )
    _tell_author(item, Notification.Kind.EDIT_REQUESTED, action)
    return item


@transaction.atomic
def content_escalate(*, moderator: User, item, reason: str):
    """Leave the decision to a site-wide moderator: the item stays in the
    queue, marked escalated, and the site-wide moderators are alerted."""
    _require_moderator(moderator, item)
    reason = _reason(reason, _("Say why it needs another moderator."))
    item = _start(moderator, item)
    action = audit.action_record(
        kind=Kind.ESCALATE, actor=moderator, target=item, reason=reason
    )
    alerts.escalation_announce(action=action)
    return item


# The old names, for comments.
def comment_approve(*, moderator: User, comment: Comment) -> Comment:
    return content_approve(moderator=moderator, item=comment)


def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    return content_hide(moderator=moderator, item=comment, reason=reason)


def comment_request_edit(*, moderator: User, comment: Comment, reason: str):
    return content_request_edit(moderator=moderator, item=comment, reason=reason)


def comment_escalate(*, moderator: User, comment: Comment, reason: str):
    return content_escalate(moderator=moderator, item=comment, reason=reason)


DECISIONS = {
    "approve": lambda moderator, item, reason: content_approve(
        moderator=moderator, item=item
    ),
    "hide": lambda moderator, item, reason: content_hide(
        moderator=moderator, item=item, reason=reason
    ),
    "request_edit": lambda moderator, item, reason: content_request_edit(
        moderator=moderator, item=item, reason=reason
    ),
    "escalate": lambda moderator, item, reason: content_escalate(
        moderator=moderator, item=item, reason=reason
    ),
}


@transaction.atomic
def contents_decide(
    *,
    moderator: User,
    items: list[tuple[str, int]],
    decision: str,
    reason: str = "",
) -> int:
    """The same decision on many items of any kinds (a mass campaign), all
    or none; ``items``: (kind, id) pairs. Return how many were decided."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")})
    wanted = sorted(set(items))
    if not wanted:
        raise ValidationError(_("Select at least one item."))
    if len(wanted) > BULK_LIMIT:
        raise ValidationError(
            _("Decide at most %(n)d items at once.") % {"n": BULK_LIMIT}
        )
    found = []
    for kind_key in sorted({kind for kind, _pk in wanted}):
        kind = content.KINDS.get(kind_key)
        ids = [pk for k, pk in wanted if k == kind_key]
        rows = (
            list(kind.model.objects.select_related(*kind.related).filter(pk__in=ids))
            if kind
            else []
        )
        if len(rows) != len(ids):
            raise ValidationError(_("Some of the selected items no longer exist."))
        found += rows
    for item in found:
        DECISIONS[decision](moderator, item, reason)
    return len(found)


def comments_decide(
    *, moderator: User, comment_ids: list[int], decision: str, reason: str = ""
) -> int:
    """``contents_decide`` for comments only."""
    return contents_decide(
        moderator=moderator,
        items=[("comment", pk) for pk in comment_ids],
        decision=decision,
        reason=reason,
    )
