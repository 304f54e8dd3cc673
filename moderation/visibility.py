"""Changing an item's moderation status (visible, pending, hidden) with
what each kind needs alongside: a reply counted on its parent, the public
pages' cached comment counts, the live question list's version."""

from django.db import transaction
from django.db.models import F

from consultations import selectors as consultation_selectors
from consultations.models import Comment
from hearings.models import LiveQuestion
from hearings.services import schedule
from moderation import content


def status_set(*, item, status: str, reason: str) -> None:
    """Set a locked item's status and public reason."""
    was_visible = item.status == content.VISIBLE
    item.status = status
    item.hidden_reason = (reason or "")[:300]
    item.save(update_fields=["status", "hidden_reason"])
    if isinstance(item, Comment):
        now_visible = status == content.VISIBLE
        if item.parent_id and was_visible != now_visible:
            change = 1 if now_visible else -1
            Comment.objects.filter(
                pk=item.parent_id, reply_count__gte=1 if change < 0 else 0
            ).update(reply_count=F("reply_count") + change)
        consultation_id = item.consultation_id
        transaction.on_commit(
            lambda: consultation_selectors.comment_counts_forget(
                consultation_id=consultation_id
            )
        )
    elif isinstance(item, LiveQuestion):
        schedule.bump_questions(item.hearing_id)
