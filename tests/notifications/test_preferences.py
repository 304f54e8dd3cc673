"""Per-kind preferences decide whether a notification is made and how it is
mailed; every mail carries an unsubscribe link that works without logging
in and List-Unsubscribe headers."""

import re

import pytest
from django.core import mail

from notifications import preferences, services, unsubscribe
from notifications.models import Notification, OutboundEmail, Preference
from tests.factories import UserFactory, consultation_in

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = re.compile(r"http://testserver(/notifications/unsubscribe/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def tell(user, kind=Notification.Kind.REPLY, key="k1", consultation=None):
    return services.notify(
        users=[user], kind=kind, key=key, url="/somewhere/", consultation=consultation
    )


def choose(user, kind, channel):
    Preference.objects.create(user=user, kind=kind, channel=channel)


def test_by_default_a_reply_is_shown_and_mailed_at_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    notification = Notification.objects.get(user=user)
    assert notification.mail == Notification.Mail.IMMEDIATE
    assert len(mail.outbox) == 1


def test_by_default_new_consultations_wait_for_the_daily_digest(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, kind=Notification.Kind.NEW_CONSULTATION)
    assert Notification.objects.get(user=user).mail == Notification.Mail.DAILY
    assert mail.outbox == []


def test_in_app_only_makes_the_notification_without_mail(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    choose(user, Notification.Kind.REPLY, Preference.Channel.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    assert Notification.objects.get(user=user).mail == Notification.Mail.NONE
    assert not OutboundEmail.objects.exists()


def test_off_makes_nothing_at_all(django_capture_on_commit_callbacks):
    user = UserFactory()
    choose(user, Notification.Kind.REPLY, Preference.Channel.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_decisions_about_ones_own_content_cannot_be_turned_off():
    user = UserFactory()
    changed = preferences.preferences_set(
        user=user,
        choices={
            Notification.Kind.SANCTIONED: Preference.Channel.OFF,
            Notification.Kind.REPLY: "nonsense",
            Notification.Kind.CLOSED: Preference.Channel.WEEKLY,
        },
    )
    assert changed == 1
    chosen = preferences.preferences_of(user=user)
    assert chosen[Notification.Kind.SANCTIONED] == Preference.Channel.IMMEDIATE
    assert chosen[Notification.Kind.CLOSED] == Preference.Channel.WEEKLY


def test_mail_has_unsubscribe_link_and_one_click_headers_in_the_residents_language(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(preferred_language="en")
    consultation = consultation_in("open", title="Bus route 871")
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, consultation=consultation)
    message = mail.outbox[0]
    assert "Stop mails of this kind (no login needed)" in message.body
    assert UNSUBSCRIBE.search(message.body)
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert re.fullmatch(
        r"<http://testserver/notifications/unsubscribe/[^/]+/one-click/>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert message.extra_headers["Message-ID"].startswith("<outbound-")


def test_unsubscribe_page_asks_then_turns_that_kind_of_mail_off_without_login(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    user = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, key="first")
    path = UNSUBSCRIBE.search(mail.outbox[0].body).group(1)

    with django_assert_max_num_queries(6):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Stop receiving mail for" in page.content.decode()
    assert not Preference.objects.exists()  # a GET changes nothing

    done = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200
    assert "Done" in done.content.decode()
    assert preferences.preferences_of(user=user)[Notification.Kind.REPLY] == (
        Preference.Channel.IN_APP
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, key="second")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=user).count() == 2
    # Other kinds still mail.
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, kind=Notification.Kind.OUTCOME, key="third")
    assert len(mail.outbox) == 2


def test_one_click_post_from_a_mail_client_needs_no_cookie_or_csrf_token(
    django_capture_on_commit_callbacks,
):
    from django.test import Client

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell(user)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(
        path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert preferences.preferences_of(user=user)[Notification.Kind.REPLY] == (
        Preference.Channel.IN_APP
    )


def test_a_tampered_unsubscribe_link_changes_nothing(client):
    user = UserFactory()
    token = unsubscribe.token_for(user_id=user.pk, what=Notification.Kind.REPLY)
    bad = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    page = client.post(f"/notifications/unsubscribe/{bad}/")
    assert page.status_code == 400
    assert (
        client.post(f"/notifications/unsubscribe/{bad}/one-click/").status_code == 400
    )
    assert not Preference.objects.exists()


def test_preferences_form_saves_choices_and_refuses_bad_values(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    data = {kind: preferences.DEFAULTS[kind] for kind in Notification.Kind.values}
    data[Notification.Kind.NEW_CONSULTATION] = Preference.Channel.IMMEDIATE
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert preferences.preferences_of(user=user)[
        Notification.Kind.NEW_CONSULTATION
    ] == (Preference.Channel.IMMEDIATE)

    data[Notification.Kind.SANCTIONED] = Preference.Channel.OFF
    refused = client.post(
        "/notifications/preferences/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert preferences.preferences_of(user=user)[Notification.Kind.SANCTIONED] == (
        Preference.Channel.IMMEDIATE
    )
