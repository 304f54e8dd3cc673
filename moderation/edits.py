"""Editing as a moderator asked: after "ask the author to edit", the
author may change the item once, whatever the usual edit window (a
comment's 15 minutes); the edited item goes back to the queue, pending,
until a moderator looks at it again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations import search
from consultations.models import Comment
from moderation import audit, content, screening, visibility
from moderation.models import ModerationAction

Kind = ModerationAction.Kind


def _target(action: ModerationAction):
    kind = content.BY_MODEL.get(action.content_type.model_class())
    if kind is None:
        return None
    return (
        kind.model.objects.select_related(*kind.related)
        .filter(pk=action.object_id)
        .first()
    )


def already_edited(action: ModerationAction) -> bool:
    return ModerationAction.objects.filter(
        kind=Kind.EDITED,
        content_type_id=action.content_type_id,
        object_id=action.object_id,
        created_at__gte=action.created_at,
    ).exists()


def edit_allowed(*, user: User, action: ModerationAction):
    """The item ``user`` was asked to edit by ``action`` and may still edit
    (once), or None."""
    if action.kind != Kind.REQUEST_EDIT or action.subject_id != user.pk:
        return None
    item = _target(action)
    if item is None or item.author_id != user.pk or item.status == content.REMOVED:
        return None
    if already_edited(action):
        return None
    return item


@transaction.atomic
def content_edit_as_asked(*, user: User, action: ModerationAction, body: str):
    """Replace the item's text as the moderator asked; it waits for a
    moderator again. Refused after the one edit."""
    item = edit_allowed(user=user, action=action)
    if item is None:
        raise PermissionDenied(_("You can no longer edit this."))
    item = content.locked(item)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Please write the new text.")})
    limit = type(item)._meta.get_field("body").max_length
    if limit and len(body) > limit:
        raise ValidationError(
            {"body": _("The text can be at most %(max)d characters.") % {"max": limit}}
        )
    screening.text_screen(user=user, text=body)
    snapshot = content.snapshot(item)
    item.body = body
    fields = ["body"]
    if isinstance(item, Comment):
        item.edited_at = timezone.now()
        item.search_vector = search.document_vector((body, "B"))
        fields += ["edited_at", "search_vector"]
    item.save(update_fields=fields)
    visibility.status_set(
        item=item,
        status=content.PENDING,
        reason=_("Edited as a moderator asked: awaiting their review."),
    )
    audit.action_record(
        kind=Kind.EDITED,
        actor=user,
        target=item,
        reason=_("Edited as asked."),
        snapshot=snapshot,
    )
    return item
