"""What residents are told about a hearing: every mail names the hearing,
its time in Beijing time and its place or stream, in the recipient's
language; a change of time or place is announced even when the broker
was down when it was made."""

from contextlib import contextmanager
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from hearings.models import Hearing, Registration
from hearings.services import records, registrations, schedule
from notifications import services as notification_services
from notifications.models import Notification, OutboundEmail
from tests.factories import UserFactory, official
from tests.hearings.factories import (
    HearingFactory,
    QuestionFactory,
    RegistrationFactory,
    speaker,
)

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def upcoming_hearing(**fields) -> Hearing:
    """A hearing at 18:30 UTC in three days: 02:30 the next day in
    Beijing, so a mail in the wrong time zone shows the wrong date."""
    start = (timezone.now() + timedelta(days=3)).astimezone(UTC)
    start = start.replace(hour=18, minute=30, second=0, microsecond=0)
    return HearingFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start - timedelta(days=1),
        testimony_deadline=start + timedelta(days=1),
        **fields,
    )


def resident(language: str = "en"):
    return UserFactory(preferred_language=language)


def mail_to(user) -> OutboundEmail:
    return OutboundEmail.objects.get(to=[user.email])


def assert_names_the_hearing(mail: OutboundEmail, hearing: Hearing) -> None:
    hearing.refresh_from_db()
    start = hearing.starts_at.astimezone(BEIJING)
    assert hearing.title in mail.subject
    assert hearing.title in mail.body
    assert f"When (Beijing time): {start:%Y-%m-%d}" in mail.body
    assert f"{start:%H:%M} – " in mail.body
    assert f"Venue: {hearing.venue}" in mail.body


@contextmanager
def broker_unreachable():
    """Celery pointed at a broker that is not there, failing at once."""
    conf = celery_app.conf
    unreachable = {
        "broker_url": "redis://127.0.0.1:1/0",
        "task_always_eager": False,
        "broker_transport_options": {"max_retries": 0},
        "task_publish_retry": False,
    }
    saved = {name: conf[name] for name in unreachable}
    conf.update(unreachable)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.update(saved)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


# Each kind of mail -------------------------------------------------------------


def test_registration_confirmation_names_the_hearing_and_its_time():
    hearing = upcoming_hearing()
    person = resident()

    with timezone.override("UTC"):
        registrations.registration_create(user=person, hearing=hearing, kind="attend")

    mail = mail_to(person)
    assert "Your place at a public hearing is confirmed" in mail.body
    assert_names_the_hearing(mail, hearing)


def test_waiting_list_mail_names_the_hearing_and_its_time():
    hearing = upcoming_hearing(capacity=1, speaker_slots=0)
    RegistrationFactory(hearing=hearing)
    person = resident()

    with timezone.override("UTC"):
        registrations.registration_create(user=person, hearing=hearing, kind="attend")

    mail = mail_to(person)
    assert "You are on the waiting list" in mail.body
    assert_names_the_hearing(mail, hearing)


def test_promotion_mail_names_the_hearing_and_its_time():
    hearing = upcoming_hearing(capacity=1, speaker_slots=0)
    holder = RegistrationFactory(hearing=hearing)
    person = resident()
    registrations.registration_create(user=person, hearing=hearing, kind="attend")
    OutboundEmail.objects.all().delete()

    with timezone.override("UTC"):
        registrations.registration_cancel(user=holder.user, registration=holder)

    mail = mail_to(person)
    assert "A place at a public hearing has opened up for you" in mail.body
    assert_names_the_hearing(mail, hearing)


@pytest.mark.parametrize(
    ("approve", "decision"),
    [(True, "Approved to speak"), (False, "Speaker request declined")],
)
def test_speaker_decision_mail_names_the_hearing_and_the_decision(approve, decision):
    hearing = upcoming_hearing()
    request = speaker(hearing, user=resident())

    with timezone.override("UTC"):
        registrations.speaker_decide(
            user=official(hearing.consultation.department),
            registration=request,
            approve=approve,
        )

    mail = mail_to(request.user)
    assert decision in mail.body
    assert_names_the_hearing(mail, hearing)


def test_reminder_mail_names_the_hearing_and_its_time():
    hearing = upcoming_hearing()
    person = RegistrationFactory(hearing=hearing, user=resident()).user

    with timezone.override("UTC"):
        records.reminders_send(now=hearing.starts_at - timedelta(hours=20))

    mail = mail_to(person)
    assert "Reminder: a public hearing you registered for starts soon" in mail.body
    assert_names_the_hearing(mail, hearing)


def test_reschedule_mail_gives_the_new_time_and_place(
    django_capture_on_commit_callbacks,
):
    hearing = upcoming_hearing()
    person = RegistrationFactory(hearing=hearing, user=resident()).user

    with timezone.override("UTC"), django_capture_on_commit_callbacks(execute=True):
        schedule.hearing_update(
            user=official(hearing.consultation.department),
            hearing=hearing,
            starts_at=hearing.starts_at + timedelta(hours=6),
            ends_at=hearing.ends_at + timedelta(hours=6),
            venue="区政府二楼会议室",
        )

    mail = mail_to(person)
    assert "The time or place of a public hearing you registered for" in mail.body
    assert "Venue: 区政府二楼会议室" in mail.body
    assert_names_the_hearing(mail, hearing)


def test_record_mail_names_the_hearing_and_when_it_took_place(
    django_capture_on_commit_callbacks,
):
    hearing = HearingFactory(ended=True)
    asker = QuestionFactory(hearing=hearing, author=resident()).author

    with timezone.override("UTC"), django_capture_on_commit_callbacks(execute=True):
        records.record_publish(
            user=official(hearing.consultation.department),
            hearing=hearing,
            minutes="会议纪要。",
        )

    mail = mail_to(asker)
    assert "The record of a public hearing you took part in is published" in mail.body
    assert_names_the_hearing(mail, hearing)


def test_an_online_hearing_mail_gives_the_stream_address():
    hearing = upcoming_hearing(venue="", stream_url="https://live.example.cn/h/7")
    person = resident()

    registrations.registration_create(user=person, hearing=hearing, kind="attend")

    body = mail_to(person).body
    assert "Stream: https://live.example.cn/h/7" in body
    assert "Venue:" not in body


def test_a_chinese_resident_gets_the_mail_in_chinese():
    hearing = upcoming_hearing(title="养老服务条例听证会")
    person = resident("zh-hans")

    registrations.registration_create(user=person, hearing=hearing, kind="attend")

    mail = mail_to(person)
    start = hearing.starts_at.astimezone(BEIJING)
    assert "养老服务条例听证会" in mail.subject
    assert f"时间（北京时间）: {start:%Y-%m-%d}" in mail.body
    assert f"地点: {hearing.venue}" in mail.body
    assert mail.headers["Content-Language"] == "zh-hans"


def test_a_consultation_mail_still_names_the_consultation():
    """Mail about consultations is unchanged by the hearing block."""
    question = QuestionFactory()
    person = resident()

    notification_services.notify(
        users=[person],
        kind=Notification.Kind.OUTCOME,
        key="outcome:test",
        url="/consultations/1/",
        consultation=question.hearing.consultation,
    )

    mail = mail_to(person)
    assert question.hearing.consultation.title in mail.body
    assert "When (Beijing time)" not in mail.body


# A reschedule while the broker is down ------------------------------------------


def reschedule(hearing: Hearing) -> Hearing:
    return schedule.hearing_update(
        user=official(hearing.consultation.department),
        hearing=hearing,
        starts_at=hearing.starts_at + timedelta(hours=1),
        ends_at=hearing.ends_at + timedelta(hours=1),
    )


def test_a_reschedule_while_the_broker_is_down_is_announced_by_the_beat_task(
    django_capture_on_commit_callbacks,
):
    hearing = upcoming_hearing()
    person = RegistrationFactory(hearing=hearing, user=resident()).user

    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        reschedule(hearing)

    hearing.refresh_from_db()
    assert (hearing.sequence, hearing.announced_sequence) == (1, 0)
    assert not Notification.objects.filter(user=person).exists()
    now = timezone.now()
    # The notice's own task may still be on its way: the sweep waits.
    assert records.reminders_send(now=now) == 0

    assert records.reminders_send(now=now + timedelta(minutes=6)) == 1

    notification = Notification.objects.get(user=person)
    assert notification.kind == Notification.Kind.HEARING_CHANGED
    assert notification.key == f"hearing:{hearing.pk}:changed:1"
    assert_names_the_hearing(mail_to(person), hearing)
    hearing.refresh_from_db()
    assert hearing.announced_sequence == 1
    assert records.reminders_send(now=now + timedelta(minutes=12)) == 0


def test_a_reschedule_is_announced_once_by_its_task_and_not_again_by_the_sweep(
    django_capture_on_commit_callbacks,
):
    hearing = upcoming_hearing()
    person = RegistrationFactory(hearing=hearing, user=resident()).user

    with django_capture_on_commit_callbacks(execute=True):
        reschedule(hearing)

    hearing.refresh_from_db()
    assert hearing.announced_sequence == hearing.sequence == 1
    assert records.reminders_send(now=timezone.now() + timedelta(minutes=6)) == 0
    assert schedule.change_announce(hearing_id=hearing.pk) == 0
    assert Notification.objects.filter(user=person).count() == 1
    assert OutboundEmail.objects.filter(to=[person.email]).count() == 1


def test_a_cancelled_registration_is_not_told_of_a_change():
    hearing = upcoming_hearing()
    registered = RegistrationFactory(hearing=hearing, user=resident())
    Registration.objects.filter(pk=registered.pk).update(
        status=Registration.Status.CANCELLED
    )
    Hearing.objects.filter(pk=hearing.pk).update(sequence=2)

    assert schedule.change_announce(hearing_id=hearing.pk) == 0
    hearing.refresh_from_db()
    assert hearing.announced_sequence == 2
