"""Delete my account: no personal data is left in any table (every model is
searched, found through the app registry), public contributions are kept
as a former resident's or removed as chosen, and the deletion is in the
audit log without the personal data."""

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast

from accounts import data_deletion, personal_data
from accounts.models import User
from consultations.models import Comment
from demands.models import Suggestion
from hearings.models import LiveQuestion, Registration, Testimony
from moderation.models import ModerationAction
from tests.accounts.personal_records import everything_of
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MARKER = "MINE-4b2e"
IP = "198.51.100.23"

# Rows that may still hold what the resident wrote after deletion, and why.
ALLOWED_TEXT = {
    "moderation.ModerationAction": (
        "append-only audit log (database trigger); keeps the moderated "
        "content's snapshot as the law requires, under a number only"
    ),
}
TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.JSONField,
    models.GenericIPAddressField,
)


def resident_with_everything():
    me = UserFactory(display_name="将注销的居民", email="leaving@example.com")
    records = everything_of(me, MARKER)
    other = UserFactory(display_name="留下的居民", email="staying@example.com")
    everything_of(
        other,
        "OTHER-5d1c",
        consultation=records["consultations.Comment"][0].consultation,
    )
    UserSession.objects.filter(user=other).update(ip="203.0.113.9")
    return me, other, records


def personal_traces(needles: list[str]) -> dict[str, list[str]]:
    """Every (model, field) in every installed app whose text holds one of
    ``needles``."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            rows = model._default_manager.annotate(
                _text=Cast(field.name, models.TextField())
            )
            for needle in needles:
                if rows.filter(_text__icontains=needle).exists():
                    found.setdefault(model._meta.label, []).append(
                        f"{field.name} ∋ {needle}"
                    )
    return found


def test_deleting_leaves_no_personal_data_in_any_table():
    me, other, _records = resident_with_everything()
    needles = [MARKER, me.email, me.display_name, IP]
    before = personal_traces(needles)
    assert len(before) >= 10  # the search does find what is there

    data_deletion.account_delete(user=me, keep_contributions=False)

    left = personal_traces(needles)
    assert set(left) <= set(ALLOWED_TEXT), left
    # Rows still pointing at the emptied account are only those allowed.
    for link in personal_data.user_links():
        if link.model._default_manager.filter(**{link.name: me.pk}).exists():
            assert link.label in personal_data.KEPT, link.label
    me.refresh_from_db()
    assert not me.is_active and not me.has_usable_password()
    # The place at the coming hearing was given up.
    assert Registration.objects.get(user=me).status == Registration.Status.CANCELLED
    assert me.display_name == "" and me.home_area is None
    assert not UserSession.objects.filter(user=me).exists()
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(me.pk)
    ]
    # The other resident's data is untouched.
    assert personal_traces(["OTHER-5d1c", other.email, "留下的居民"])


def test_removed_contributions_are_gone_from_public_pages():
    me, _other, records = resident_with_everything()
    data_deletion.account_delete(user=me, keep_contributions=False)
    comment = Comment.objects.get(pk=records["consultations.Comment"][0].pk)
    assert comment.status == Comment.Status.REMOVED and comment.body == ""
    assert comment.author_id is None
    assert Suggestion.objects.get(pk=records["demands.Suggestion"][0].pk).body == ""


def test_kept_contributions_stay_public_as_a_former_residents(client):
    me, _other, records = resident_with_everything()
    data_deletion.account_delete(user=me, keep_contributions=True)

    comment, hidden, reply = (
        Comment.objects.get(pk=c.pk) for c in records["consultations.Comment"]
    )
    assert comment.body == f"意见 {MARKER} 公开" and comment.author_id is None
    assert reply.status == Comment.Status.VISIBLE and reply.author_id is None
    # What was not public is removed even so.
    assert hidden.body == "" and hidden.status == Comment.Status.REMOVED
    testimony = Testimony.objects.get(pk=records["hearings.Testimony"][0].pk)
    assert MARKER in testimony.body and testimony.author_id is None
    question = LiveQuestion.objects.get(pk=records["hearings.LiveQuestion"][0].pk)
    assert question.author_id is None
    page = client.get(
        comment.consultation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert MARKER in page.content.decode()
    assert "将注销的居民" not in page.content.decode()


def test_the_deletion_is_in_the_audit_log_without_personal_data():
    me, _other, _records = resident_with_everything()
    data_deletion.account_delete(user=me, keep_contributions=True)
    entry = ModerationAction.objects.get(kind=data_deletion.AUDIT_KIND)
    assert entry.subject_id == me.pk
    assert "leaving@example.com" not in str(entry.snapshot) + entry.reason


def test_delete_page_asks_for_the_password_and_a_choice(client):
    me = UserFactory(preferred_language="en")
    client.force_login(me)
    page = client.get("/accounts/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200

    wrong = client.post(
        "/accounts/delete/",
        {"contributions": "keep", "password": "wrong", "confirm": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 400
    assert "The password is not right." in wrong.content.decode()
    assert User.objects.get(pk=me.pk).is_active

    done = client.post(
        "/accounts/delete/",
        {"contributions": "remove", "password": PASSWORD, "confirm": "on"},
    )
    assert done.status_code == 302
    assert not User.objects.get(pk=me.pk).is_active
    assert client.get("/accounts/data/").status_code == 302  # logged out
    assert not client.login(email=me.email, password=PASSWORD)


def test_the_audit_log_and_transparency_report_show_a_deleted_account(client):
    from tests.factories import moderator

    me, _other, _records = resident_with_everything()
    data_deletion.account_delete(user=me, keep_contributions=True)
    client.force_login(moderator())
    log = client.get("/moderation/audit/", HTTP_ACCEPT_LANGUAGE="en")
    assert log.status_code == 200
    assert client.get("/moderation/transparency/").status_code == 200
