"""Delete my account: the person's data is erased from every table; what
they said in public is kept, attributed to a former resident, or removed,
as they choose; the deletion is recorded in the audit log without any of
the personal data.

The account row itself stays, emptied (no email, name, password or area),
so that anonymous supports keep their counts true and the append-only
audit log keeps a valid number; it can never log in again.
"""

import uuid

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from accounts import personal_data
from accounts.models import User
from consultations import selectors as consultation_selectors
from consultations.models import Comment
from hearings.models import Registration
from hearings.services import registrations as registration_services
from moderation import audit
from moderation.models import ModerationAction
from notifications.models import OutboundEmail

# Recorded in the audit log (moderation.ModerationAction.kind).
AUDIT_KIND = ModerationAction.Kind.ACCOUNT_DELETED


def _erase_files(obj, names: list[str]) -> None:
    for name in names:
        field_file = getattr(obj, name)
        if field_file:
            storage, path = field_file.storage, field_file.name
            transaction.on_commit(lambda s=storage, p=path: s.delete(p))


def _contributions(link: personal_data.Link, user: User, keep: bool) -> int:
    """Detach (``keep``) or remove the resident's public contributions.
    Content that is not public (hidden, pending) is removed either way."""
    spec = personal_data.PUBLIC_CONTRIBUTIONS[link.label]
    model = link.model
    rows = model._default_manager.filter(**{link.name: user})
    status_field = (
        "status"
        if any(f.name == "status" for f in model._meta.concrete_fields)
        else None
    )
    removed = rows
    if keep and status_field:
        removed = rows.exclude(status="visible")
    if not keep or status_field:
        for obj in removed.only("pk", *spec["files"]).iterator():
            _erase_files(obj, spec["files"])
        changes = dict.fromkeys(spec["text"], "")
        changes.update(dict.fromkeys(spec["files"], ""))
        if status_field:
            changes[status_field] = "removed"
        if any(f.name == "search_vector" for f in model._meta.concrete_fields):
            changes["search_vector"] = None
        if any(f.name == "hidden_reason" for f in model._meta.concrete_fields):
            changes["hidden_reason"] = ""
        removed.update(**changes)
    return rows.update(**{link.name: None})


def _clear(link: personal_data.Link, user: User, keep: bool) -> None:
    rows = link.model._default_manager.filter(**{link.name: user})
    if not keep:
        for label, parent, fields in personal_data.CHILD_TEXT.get(link.label, []):
            link.model._meta.apps.get_model(label)._default_manager.filter(
                **{f"{parent}__{link.name}": user}
            ).update(**dict.fromkeys(fields, ""))
    if link.label in personal_data.PUBLIC_CONTRIBUTIONS:
        _contributions(link, user, keep)
    elif link.label in personal_data.CONTRIBUTION_COPIES:
        if not keep:
            rows.update(
                **dict.fromkeys(personal_data.CONTRIBUTION_COPIES[link.label], "")
            )
        rows.update(**{link.name: None})
    elif link.label in personal_data.KEPT:
        text = personal_data.KEPT_TEXT.get(link.label)
        if text:
            rows.update(**dict.fromkeys(text, ""))
    elif link.field.null and link.field.remote_field.on_delete.__name__ in {
        "SET_NULL",
        "DO_NOTHING",
    }:
        rows.update(**{link.name: None})
    else:
        rows.delete()


def sessions_end(*, user: User) -> int:
    """End every session allauth recorded for ``user`` (at deletion, any
    other one dies with the password and the inactive account)."""
    keys = list(
        UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    )
    UserSession.objects.filter(user=user).delete()
    return Session.objects.filter(session_key__in=keys).delete()[0]


@transaction.atomic
def account_delete(*, user: User, keep_contributions: bool) -> None:
    """Erase ``user``'s personal data (see the module docstring)."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    email = user.email
    consultation_ids = set(
        Comment.objects.filter(author=user).values_list("consultation_id", flat=True)
    )
    transaction.on_commit(
        lambda: [
            consultation_selectors.comment_counts_forget(consultation_id=pk)
            for pk in consultation_ids
        ]
    )
    sessions_end(user=user)
    # Places at hearings still to come go to the waiting list.
    for registration in Registration.objects.filter(user=user).exclude(
        status=Registration.Status.CANCELLED
    ):
        if user.has_perm("hearings.cancel_registration", registration):
            registration_services.registration_cancel(
                user=user, registration=registration
            )
    for link in personal_data.user_links():
        _clear(link, user, keep_contributions)
    OutboundEmail.objects.filter(
        Q(to__contains=[email]) | Q(to__contains=[email.lower()])
    ).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@invalid.invalid"
    user.display_name = ""
    user.home_area = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit.action_record(
        kind=AUDIT_KIND,
        actor=user,
        target=None,
        subject=user,
        reason="contributions kept" if keep_contributions else "contributions removed",
    )
