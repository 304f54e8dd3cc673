"""Registration: places, the waiting list, cancellation and speakers."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from hearings.models import Hearing, Registration
from hearings.services import registrations
from notifications.models import Notification
from tests.factories import ConsultationFactory, UserFactory, official
from tests.hearings.factories import HearingFactory, RegistrationFactory, speaker

pytestmark = pytest.mark.django_db

Status = Registration.Status


def test_registering_takes_a_place_and_confirms_by_mail(
    django_capture_on_commit_callbacks,
):
    hearing = HearingFactory()
    resident = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registrations.registration_create(
            user=resident, hearing=hearing, kind="speak", topic="养老食堂"
        )
    hearing.refresh_from_db()
    assert registration.status == Status.REGISTERED
    assert registration.speaker == Registration.Speaker.REQUESTED
    assert hearing.registered_count == 1
    assert Notification.objects.get(user=resident).kind == "hearing_registered"
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_full_hearing_puts_residents_on_the_waiting_list():
    hearing = HearingFactory(capacity=1, speaker_slots=0)
    registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    second = registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    hearing.refresh_from_db()
    assert second.status == Status.WAITING
    assert hearing.registered_count == 1
    assert Notification.objects.get(user=second.user).kind == "hearing_waiting"


def test_registering_twice_is_refused_and_changes_nothing():
    hearing = HearingFactory()
    resident = UserFactory()
    registrations.registration_create(user=resident, hearing=hearing, kind="attend")
    with pytest.raises(ValidationError, match="already registered"):
        registrations.registration_create(
            user=resident, hearing=hearing, kind="speak", topic="x"
        )
    hearing.refresh_from_db()
    assert hearing.registered_count == 1
    assert Registration.objects.filter(hearing=hearing).count() == 1


def test_registering_after_the_deadline_is_refused():
    hearing = HearingFactory(
        registration_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(PermissionDenied, match="deadline has passed"):
        registrations.registration_create(
            user=UserFactory(), hearing=hearing, kind="attend"
        )
    assert not Registration.objects.exists()


def test_registering_for_a_hearing_of_a_closed_consultation_is_refused():
    hearing = HearingFactory(consultation=ConsultationFactory(closed=True))
    with pytest.raises(
        PermissionDenied, match="consultation of this hearing is closed"
    ):
        registrations.registration_create(
            user=UserFactory(), hearing=hearing, kind="attend"
        )
    assert not Registration.objects.exists()


def test_registering_to_speak_needs_a_topic():
    hearing = HearingFactory()
    with pytest.raises(ValidationError, match="want to speak about"):
        registrations.registration_create(
            user=UserFactory(), hearing=hearing, kind="speak"
        )
    assert not Registration.objects.exists()


def test_unverified_resident_cannot_register():
    hearing = HearingFactory()
    with pytest.raises(PermissionDenied, match="verify your email"):
        registrations.registration_create(
            user=UserFactory(verified=False), hearing=hearing, kind="attend"
        )


def test_cancelling_promotes_the_first_on_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    hearing = HearingFactory(capacity=1, speaker_slots=0)
    holder = registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    first = registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    second = registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    registrations.registration_cancel(user=holder.user, registration=holder)
    first.refresh_from_db()
    second.refresh_from_db()
    hearing.refresh_from_db()
    assert first.status == Status.REGISTERED
    assert second.status == Status.WAITING
    assert hearing.registered_count == 1
    assert Notification.objects.filter(
        user=first.user, kind="hearing_promoted"
    ).exists()


def test_one_cannot_cancel_someone_elses_registration():
    registration = RegistrationFactory()
    with pytest.raises(PermissionDenied):
        registrations.registration_cancel(user=UserFactory(), registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


def test_a_cancelled_resident_may_register_again():
    hearing = HearingFactory()
    resident = UserFactory()
    first = registrations.registration_create(
        user=resident, hearing=hearing, kind="attend"
    )
    registrations.registration_cancel(user=resident, registration=first)
    again = registrations.registration_create(
        user=resident, hearing=hearing, kind="attend"
    )
    hearing.refresh_from_db()
    assert again.status == Status.REGISTERED
    assert hearing.registered_count == 1


def test_raising_the_capacity_promotes_waiting_residents():
    from hearings.services import schedule

    hearing = HearingFactory(capacity=1, speaker_slots=0)
    registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    waiting = registrations.registration_create(
        user=UserFactory(), hearing=hearing, kind="attend"
    )
    owner = official(hearing.consultation.department)
    schedule.hearing_update(user=owner, hearing=hearing, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_ten_places():
    """Exactly 10 registered and 10 waiting; cancelling one promotes the
    first waiting."""
    hearing = HearingFactory(capacity=10, speaker_slots=0)
    residents = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def register(user):
        try:
            barrier.wait()
            registrations.registration_create(user=user, hearing=hearing, kind="attend")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(u,)) for u in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    hearing.refresh_from_db()
    rows = Registration.objects.filter(hearing=hearing)
    assert rows.filter(status=Status.REGISTERED).count() == 10
    assert rows.filter(status=Status.WAITING).count() == 10
    assert hearing.registered_count == 10

    first_waiting = rows.filter(status=Status.WAITING).order_by("created_at", "pk")[0]
    leaving = rows.filter(status=Status.REGISTERED).first()
    registrations.registration_cancel(user=leaving.user, registration=leaving)
    first_waiting.refresh_from_db()
    hearing.refresh_from_db()
    assert first_waiting.status == Status.REGISTERED
    assert rows.filter(status=Status.REGISTERED).count() == 10
    assert rows.filter(status=Status.WAITING).count() == 9
    assert hearing.registered_count == 10


def test_the_database_refuses_more_places_than_capacity():
    from django.db import IntegrityError, transaction

    hearing = HearingFactory(capacity=1, speaker_slots=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(registered_count=2)


# Speakers ----------------------------------------------------------------------


def test_official_approves_speakers_within_the_slots():
    hearing = HearingFactory(speaker_slots=1)
    owner = official(hearing.consultation.department)
    first, second = speaker(hearing), speaker(hearing)
    registrations.speaker_decide(user=owner, registration=first, approve=True)
    with pytest.raises(ValidationError, match="speaker slots are taken"):
        registrations.speaker_decide(user=owner, registration=second, approve=True)
    second.refresh_from_db()
    assert second.speaker == Registration.Speaker.REQUESTED
    assert Notification.objects.filter(user=first.user, kind="hearing_speaker").exists()


def test_official_of_another_department_cannot_approve_speakers():
    hearing = HearingFactory()
    request = speaker(hearing)
    with pytest.raises(PermissionDenied):
        registrations.speaker_decide(
            user=official(), registration=request, approve=True
        )
    request.refresh_from_db()
    assert request.speaker == Registration.Speaker.REQUESTED


def test_official_orders_the_speakers():
    hearing = HearingFactory()
    owner = official(hearing.consultation.department)
    first, second = speaker(hearing), speaker(hearing)
    for registration in (first, second):
        registrations.speaker_decide(
            user=owner, registration=registration, approve=True
        )
    registrations.speaker_move(user=owner, registration=second, up=True)
    queue = list(registrations.speaker_queue(hearing))
    assert queue == [second, first]


def test_giving_the_floor_starts_the_countdown():
    from hearings import selectors

    hearing = HearingFactory(live=True)
    owner = official(hearing.consultation.department)
    turn = speaker(hearing, approved=True, speaker_position=0)
    registrations.speaker_call(user=owner, hearing=hearing, registration=turn)
    hearing.refresh_from_db()
    assert hearing.now_speaking == turn
    assert 295 <= selectors.remaining_seconds(hearing=hearing) <= 300


def test_only_approved_speakers_get_the_floor():
    hearing = HearingFactory(live=True)
    owner = official(hearing.consultation.department)
    with pytest.raises(ValidationError):
        registrations.speaker_call(
            user=owner, hearing=hearing, registration=speaker(hearing)
        )
