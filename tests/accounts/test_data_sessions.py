"""Sessions list with log out everywhere, and changing the email address:
the new one is used only once it is verified."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_sessions_are_listed_and_ended_everywhere(django_assert_max_num_queries):
    user = UserFactory(preferred_language="en")
    laptop, phone = signed_in(user), signed_in(user)
    assert UserSession.objects.filter(user=user).count() == 2

    # allauth checks that each listed session still exists: one query per
    # session (a handful per person).
    with django_assert_max_num_queries(15):
        page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Where you are signed in" in html and "This browser" in html

    response = laptop.post("/accounts/sessions/logout-everywhere/")
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.exists()
    assert phone.get("/accounts/data/").status_code == 302
    assert laptop.get("/accounts/data/").status_code == 302


def test_other_sessions_end_and_this_one_stays():
    user = UserFactory(preferred_language="en")
    laptop, phone = signed_in(user), signed_in(user)
    laptop.post("/accounts/sessions/")
    assert laptop.get("/accounts/data/").status_code == 200
    assert phone.get("/accounts/data/").status_code == 302


def test_a_new_email_address_replaces_the_old_only_once_verified(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {}
    user = UserFactory(email="old@example.com", preferred_language="en")
    client = signed_in(user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "new@example.com"}
        )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email == "old@example.com"
    confirmation = next(m for m in mail.outbox if m.to == ["new@example.com"])
    link = re.search(r"http://\S+/accounts/confirm-email/[^/\s]+/", confirmation.body)
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post(f"/{path}")
    assert User.objects.get(pk=user.pk).email == "new@example.com"
    assert not user.emailaddress_set.filter(email="old@example.com").exists()
