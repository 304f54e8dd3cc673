"""Download all my data: built by a Celery task, mailed as a link that only
the owner can open while it lasts; it holds every kind of record the
resident created and nothing of anyone else's."""

import io
import json
import re
import time
import zipfile

import pytest
from django.core import mail

from accounts import data_export, personal_data
from tests.accounts.personal_records import everything_of
from tests.factories import ReplyFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/accounts/data/download/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "http://testserver"


def request_export(client, user, capture) -> str:
    client.force_login(user)
    with capture(execute=True):
        response = client.post("/accounts/data/export/")
    assert response.status_code == 302
    message = next(m for m in mail.outbox if m.to == [user.email])
    return LINK.search(message.body).group(1)


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_holds_every_kind_of_record_and_nothing_of_anyone_elses(
    client, django_capture_on_commit_callbacks
):
    me = UserFactory(display_name="导出本人", email="me@example.com")
    other = UserFactory(display_name="别的居民", email="other@example.com")
    mine = everything_of(me, "MINE-7f3a")
    everything_of(other, "OTHER-9c1d")
    # Others' reactions to what I wrote are theirs, not mine.
    my_comment = mine["consultations.Comment"][0]
    ReplyFactory(parent=my_comment, author=other, body="OTHER-9c1d reply to me")
    SupportFactory(comment=my_comment, user=other)

    path = request_export(client, me, django_capture_on_commit_callbacks)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    files = unzip(b"".join(response.streaming_content))

    assert {"data.json", "index.html"} <= set(files)
    data = json.loads(files["data.json"])
    for label, records in mine.items():
        exported = {str(row.get("id")) for row in data[label]}
        assert {str(r.pk) for r in records} <= exported, label
        assert f"csv/{label}.csv" in files
    # Every model linked to the account by any foreign key, found
    # generically, is in the export when the resident has rows there.
    for link in personal_data.user_links():
        if link.label in personal_data.ACTOR_ONLY:
            continue
        if link.model._default_manager.filter(**{link.name: me}).exists():
            assert link.model._meta.label in data, link.label
    assert data["accounts.User"][0]["email"] == "me@example.com"
    assert "password" not in data["accounts.User"][0]
    assert data["surveys.Answer"][0]["text"] == "问卷 MINE-7f3a"
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert "MINE-7f3a" in files["index.html"].decode()
    assert "OTHER-9c1d" not in everything
    assert "other@example.com" not in everything
    assert "别的居民" not in everything


def test_only_the_owner_can_download_and_the_link_expires(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    me = UserFactory()
    path = request_export(client, me, django_capture_on_commit_callbacks)

    client.logout()
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(path).status_code == 404
    client.force_login(me)
    assert client.get(path).status_code == 200

    later = time.time() + (data_export.EXPORT_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(path).status_code == 404


def test_expired_exports_are_deleted_from_storage(
    client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    me = UserFactory()
    request_export(client, me, django_capture_on_commit_callbacks)
    folder = f"{data_export.FOLDER}/{me.pk}"
    assert len(default_storage.listdir(folder)[1]) == 1
    assert data_export.data_exports_expire() == 0
    later = timezone.now() + timedelta(days=data_export.EXPORT_DAYS, minutes=1)
    assert data_export.data_exports_expire(now=later) == 1
    assert default_storage.listdir(folder)[1] == []


def test_a_second_request_within_ten_minutes_is_refused_politely(
    client, django_capture_on_commit_callbacks
):
    me = UserFactory(preferred_language="en")
    request_export(client, me, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/data/export/", follow=True)
    assert "already being prepared" in response.content.decode()
    assert len([m for m in mail.outbox if m.to == [me.email]]) == 1


def test_data_page_needs_login_and_has_bounded_queries(
    client, django_assert_max_num_queries
):
    assert client.get("/accounts/data/").status_code == 302
    client.force_login(UserFactory())
    with django_assert_max_num_queries(6):
        assert client.get("/accounts/data/").status_code == 200
