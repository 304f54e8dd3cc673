"""Session fixation, clickjacking and open redirects are refused."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, moderator

pytestmark = pytest.mark.django_db
EVIL = "https://evil.example/phish"


def _login(client, user, **extra):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        **extra,
    )


def test_session_key_changes_at_login(client):
    user = UserFactory()
    client.get(reverse("account_login"))
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before

    response = _login(client, user)

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_planted_session_key_is_not_logged_in_by_the_victim(client):
    planted = SessionStore()
    planted["planted"] = "by an attacker"
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    _login(client, UserFactory())

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert "_auth_user_id" not in SessionStore(session_key=planted.session_key).load()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/consultations/",
        "/hearings/",
        "/accounts/login/",
        "/moderation/transparency/",
    ],
)
def test_pages_refuse_to_be_framed(client, path):
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_login_refuses_an_outside_next(client):
    response = _login(client, UserFactory(), QUERY_STRING=f"next={EVIL}")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_logout_refuses_an_outside_next(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"), {"next": EVIL})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("url_name", ["set_language", "set_care_mode"])
@pytest.mark.parametrize("target", [EVIL, "//evil.example/", "https:evil.example"])
def test_preferences_refuse_an_outside_next(client, url_name, target):
    data = {"next": target, "language": "en", "care_mode": "1"}
    response = client.post(reverse(url_name), data)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("url_name", ["set_language", "set_care_mode"])
def test_preferences_refuse_an_outside_referer(client, url_name):
    response = client.post(
        reverse(url_name), {"language": "en"}, HTTP_REFERER="https://evil.example/"
    )
    assert "evil.example" not in response["Location"]


def test_moderation_queue_back_link_refuses_an_outside_next(client):
    client.force_login(moderator())
    response = client.post(
        reverse("moderation:decide_bulk"), {"decision": "approve", "next": EVIL}
    )
    assert "evil.example" not in response["Location"]
