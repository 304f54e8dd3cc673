"""Writing the audit log: one ModerationAction per decision, in the same
transaction as the decision, with the content as it was before it."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from consultations.models import Comment
from moderation import content
from moderation.models import ModerationAction, Sanction


def comment_snapshot(comment: Comment) -> dict:
    """What a comment was when the decision was taken."""
    return content.snapshot(comment)


def sanction_snapshot(sanction: Sanction) -> dict:
    return {
        "kind": sanction.kind,
        "user_id": sanction.user_id,
        "reason": sanction.reason,
        "starts_at": sanction.starts_at.isoformat(),
        "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
    }


def action_record(
    *,
    kind: str,
    actor,
    target: models.Model | None,
    reason: str = "",
    subject=None,
    department_id: int | None = None,
    snapshot: dict | None = None,
) -> ModerationAction:
    """Append one entry to the audit log. ``actor`` None: an automatic
    rule. For moderated content (moderation.content), its author,
    department and snapshot are filled in unless given."""
    if content.is_content(target):
        subject = subject if subject is not None else target.author
        if department_id is None:
            department_id = content.department_id(target)
        if snapshot is None:
            snapshot = content.snapshot(target)
    elif isinstance(target, Sanction):
        subject = subject if subject is not None else target.user
        if snapshot is None:
            snapshot = sanction_snapshot(target)
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        content_type=(
            ContentType.objects.get_for_model(target) if target is not None else None
        ),
        object_id=target.pk if target is not None else None,
        subject=subject,
        department_id=department_id,
        reason=reason,
        snapshot=snapshot or {},
    )
