"""Officials enrol an authenticator right after signing in, and then reach
the console."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, official

ACTIVATE_URL = reverse("mfa_activate_totp")


def log_in(client, user) -> None:
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_official_just_signed_in_enrols_without_typing_the_password_again(
    client, django_assert_max_num_queries
):
    log_in(client, official(mfa=False))

    assert client.get("/console/")["Location"] == ACTIVATE_URL
    with django_assert_max_num_queries(15):
        response = client.get(ACTIVATE_URL)

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


@pytest.mark.django_db
@override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=0)
def test_enrolment_asks_for_the_password_when_the_sign_in_is_not_recent(client):
    log_in(client, official(mfa=False))

    response = client.get(ACTIVATE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.django_db
def test_official_who_enrols_totp_reaches_the_console(client):
    user = official(mfa=False)
    log_in(client, user)
    client.get(ACTIVATE_URL)
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    response = client.post(ACTIVATE_URL, {"code": code})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get("/console/").status_code == 200
