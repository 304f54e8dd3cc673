"""Digests: one mail per resident and period, grouped by kind, capped,
never twice for the same period."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import digests, services
from notifications.models import Digest, Notification, Preference
from tests.factories import ConsultationFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(user, count, kind=Notification.Kind.NEW_CONSULTATION, prefix="n"):
    consultations = [ConsultationFactory(open=True) for _ in range(min(count, 3))]
    for n in range(count):
        services.notify(
            users=[user],
            kind=kind,
            key=f"{prefix}{n}",
            url=f"/consultations/{n}/",
            consultation=consultations[n % len(consultations)],
        )


def test_daily_digest_groups_by_kind_and_is_sent_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(preferred_language="en")
    Preference.objects.create(
        user=user, kind=Notification.Kind.CLOSED, channel=Preference.Channel.DAILY
    )
    pending(user, 3)
    pending(user, 2, kind=Notification.Kind.CLOSED, prefix="c")
    later = timezone.now() + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digest_send(period="daily", now=later) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digest_send(period="daily", now=later) == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "daily digest: 5 notifications" in mail.outbox[0].subject
    assert "== A new consultation where you follow (3) ==" in body
    assert "== A consultation you follow has closed (2) ==" in body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert Digest.objects.get().items == 5


def test_digest_is_capped_with_a_count_of_the_rest(
    django_capture_on_commit_callbacks, settings
):
    user = UserFactory(preferred_language="en")
    pending(user, digests.DIGEST_CAP + 7)
    with django_capture_on_commit_callbacks(execute=True):
        digests.digest_send(period="daily", now=timezone.now() + timedelta(seconds=1))
    body = mail.outbox[0].body
    assert body.count("/consultations/") == digests.DIGEST_CAP
    assert "… and 7 more." in body


def test_weekly_residents_are_not_in_the_daily_digest(
    django_capture_on_commit_callbacks,
):
    weekly = UserFactory()
    Preference.objects.create(
        user=weekly,
        kind=Notification.Kind.NEW_CONSULTATION,
        channel=Preference.Channel.WEEKLY,
    )
    pending(weekly, 2)
    now = timezone.now() + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.digest_send(period="daily", now=now) == 0
        assert digests.digest_send(period="weekly", now=now) == 1
    assert Digest.objects.get().period_key == digests.period_key(
        period="weekly", now=now
    )


def test_unsubscribing_from_the_digest_stops_its_kinds_mail(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    pending(user, 1)
    with django_capture_on_commit_callbacks(execute=True):
        digests.digest_send(period="daily", now=timezone.now() + timedelta(seconds=1))
    one_click = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    client.post(
        one_click.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")
    )
    assert Preference.objects.get(
        user=user, kind=Notification.Kind.NEW_CONSULTATION
    ).channel == (Preference.Channel.IN_APP)


def test_beat_runs_the_digests_and_the_export_expiry():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    for name in (
        "notifications-digest-daily",
        "notifications-digest-weekly",
        "accounts-data-exports-expire",
    ):
        assert schedule[name]["task"] in app.tasks, name
    assert schedule["notifications-digest-daily"]["args"] == ("daily",)
    assert schedule["notifications-digest-weekly"]["args"] == ("weekly",)
