"""The consultation lifecycle: draft → scheduled → open → closed →
responded → archived, and the services that move it."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import ClosingExtension, Comment, Consultation
from consultations.services import comments, lifecycle
from notifications.models import Broadcast, Follow, Notification, OutboundEmail
from tests.factories import (
    STATES,
    AreaFactory,
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    UserFactory,
    area_chain,
    consultation_in,
    official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Status = Consultation.Status


def now():
    return timezone.now()


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Status computed from time ----------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_factory_state_is_the_computed_status(state):
    consultation = consultation_in(state)
    consultation.refresh_from_db()

    assert consultation.status == state


def test_status_follows_the_clock_without_any_write():
    opens, closes = now() + timedelta(days=1), now() + timedelta(days=8)
    consultation = ConsultationFactory(
        published_at=now(), opens_at=opens, closes_at=closes
    )

    assert consultation.status_at(opens - timedelta(seconds=1)) == Status.SCHEDULED
    assert consultation.status_at(opens) == Status.OPEN
    assert consultation.status_at(closes - timedelta(seconds=1)) == Status.OPEN
    assert consultation.status_at(closes) == Status.CLOSED


def test_unpublished_consultation_is_a_draft_whatever_its_period():
    consultation = ConsultationFactory(
        opens_at=now() - timedelta(days=1), closes_at=now() + timedelta(days=1)
    )

    assert consultation.status == Status.DRAFT


def test_published_outcome_makes_a_closed_consultation_responded():
    consultation = consultation_in("closed")
    outcome = OutcomeFactory(consultation=consultation)
    assert Consultation.objects.get(pk=consultation.pk).status == Status.CLOSED

    outcome.published_at = now()
    outcome.save()

    assert Consultation.objects.get(pk=consultation.pk).status == Status.RESPONDED


def test_archived_wins_over_every_other_state():
    consultation = consultation_in("archived")

    assert consultation.status_at(consultation.opens_at) == Status.ARCHIVED


# Create, scope, schedule, publish ----------------------------------------------


def test_official_creates_a_draft_for_their_department():
    department = DepartmentFactory()
    user = official(department, mfa=False)

    consultation = lifecycle.consultation_create(
        user=user,
        department=department,
        title="养老服务条例（草案）",
        summary="征求对养老服务条例草案的意见。",
    )

    assert consultation.status == Status.DRAFT
    assert consultation.created_by == user


def test_create_refuses_a_department_the_user_is_not_a_member_of():
    user = official(DepartmentFactory(), mfa=False)
    forged = DepartmentFactory()

    with pytest.raises(PermissionDenied, match="your own department"):
        lifecycle.consultation_create(
            user=user, department=forged, title="伪造", summary="伪造的部门"
        )

    assert not Consultation.objects.exists()


def test_create_refuses_a_resident():
    with pytest.raises(PermissionDenied):
        lifecycle.consultation_create(
            user=UserFactory(),
            department=DepartmentFactory(),
            title="居民",
            summary="居民不能发起",
        )


def test_create_refuses_an_empty_title_with_a_message():
    department = DepartmentFactory()

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_create(
            user=official(department, mfa=False),
            department=department,
            title="",
            summary="没有标题",
        )

    assert "title" in error.value.message_dict
    assert not Consultation.objects.exists()


def test_update_changes_a_draft():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)

    lifecycle.consultation_update(user=user, consultation=consultation, title="新标题")

    assert Consultation.objects.get(pk=consultation.pk).title == "新标题"


@pytest.mark.parametrize("state", ["open", "closed", "responded", "archived"])
def test_update_is_refused_once_open(state):
    consultation = consultation_in(state)
    user = official(consultation.department, mfa=False)

    with pytest.raises(PermissionDenied, match="no longer be edited"):
        lifecycle.consultation_update(
            user=user, consultation=consultation, title="改不了"
        )


def test_update_refused_for_another_departments_official():
    consultation = ConsultationFactory()

    with pytest.raises(PermissionDenied):
        lifecycle.consultation_update(
            user=official(mfa=False), consultation=consultation, title="越权"
        )


def test_scope_accepts_areas_inside_the_jurisdiction():
    _city, district, street, community = area_chain()
    consultation = ConsultationFactory(department=DepartmentFactory(area=district))
    user = official(consultation.department, mfa=False)

    lifecycle.consultation_set_scope(
        user=user, consultation=consultation, areas=[district, street, community]
    )

    assert set(consultation.areas.all()) == {district, street, community}


def test_scope_refuses_an_area_outside_the_jurisdiction():
    city, district, _street, _community = area_chain()
    elsewhere = AreaFactory(
        code="500105", name_zh="江北区", name_en="Jiangbei", parent=city
    )
    consultation = ConsultationFactory(department=DepartmentFactory(area=district))
    user = official(consultation.department, mfa=False)

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_set_scope(
            user=user, consultation=consultation, areas=[district, elsewhere]
        )

    assert "Jiangbei" in messages(error.value)
    assert not consultation.areas.exists()


def test_scope_refuses_the_parent_of_the_jurisdiction():
    city, district, _street, _community = area_chain()
    consultation = ConsultationFactory(department=DepartmentFactory(area=district))
    user = official(consultation.department, mfa=False)

    with pytest.raises(ValidationError):
        lifecycle.consultation_set_scope(
            user=user, consultation=consultation, areas=[city]
        )


def test_scope_needs_at_least_one_area():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)

    with pytest.raises(ValidationError, match="at least one area"):
        lifecycle.consultation_set_scope(user=user, consultation=consultation, areas=[])


def test_schedule_sets_the_period():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)
    opens, closes = now() + timedelta(days=1), now() + timedelta(days=30)

    lifecycle.consultation_set_schedule(
        user=user, consultation=consultation, opens_at=opens, closes_at=closes
    )

    consultation.refresh_from_db()
    assert (consultation.opens_at, consultation.closes_at) == (opens, closes)


@pytest.mark.parametrize("gap", [timedelta(0), timedelta(days=-1)])
def test_schedule_refuses_closing_before_or_at_opening(gap):
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)
    opens = now() + timedelta(days=2)

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_set_schedule(
            user=user, consultation=consultation, opens_at=opens, closes_at=opens + gap
        )

    assert "closes_at" in error.value.message_dict
    consultation.refresh_from_db()
    assert consultation.opens_at is None


def test_schedule_of_a_scheduled_consultation_cannot_open_in_the_past():
    consultation = consultation_in("scheduled")
    user = official(consultation.department, mfa=False)

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_set_schedule(
            user=user,
            consultation=consultation,
            opens_at=now() - timedelta(hours=1),
            closes_at=now() + timedelta(days=5),
        )

    assert "opens_at" in error.value.message_dict


def _ready_draft(*, opens_in=timedelta(days=1)):
    _city, district, _street, _community = area_chain()
    consultation = ConsultationFactory(
        department=DepartmentFactory(area=district),
        opens_at=now() + opens_in,
        closes_at=now() + opens_in + timedelta(days=30),
        areas=[district],
    )
    return consultation, official(consultation.department, mfa=False)


def test_publish_with_a_future_opening_schedules():
    consultation, user = _ready_draft()

    lifecycle.consultation_publish(user=user, consultation=consultation)

    assert Consultation.objects.get(pk=consultation.pk).status == Status.SCHEDULED


def test_publish_after_the_opening_time_opens_at_once():
    consultation, user = _ready_draft(opens_in=timedelta(hours=-1))

    lifecycle.consultation_publish(user=user, consultation=consultation)

    assert Consultation.objects.get(pk=consultation.pk).status == Status.OPEN


def test_publish_requires_a_period_and_areas():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_publish(user=user, consultation=consultation)

    text = messages(error.value)
    assert "opens and closes" in text
    assert "areas" in text
    assert Consultation.objects.get(pk=consultation.pk).published_at is None


def test_publish_requires_areas_even_with_a_period():
    consultation, user = _ready_draft()
    consultation.areas.clear()

    with pytest.raises(ValidationError, match="areas"):
        lifecycle.consultation_publish(user=user, consultation=consultation)


def test_publish_refuses_a_period_that_has_already_ended():
    consultation, user = _ready_draft(opens_in=timedelta(days=-40))

    with pytest.raises(ValidationError, match="already passed"):
        lifecycle.consultation_publish(user=user, consultation=consultation)


def test_publish_twice_is_refused():
    consultation, user = _ready_draft()
    lifecycle.consultation_publish(user=user, consultation=consultation)

    with pytest.raises(ValidationError, match="already published"):
        lifecycle.consultation_publish(user=user, consultation=consultation)


def test_unpublish_takes_a_scheduled_consultation_back_to_draft():
    consultation = consultation_in("scheduled")
    user = official(consultation.department, mfa=False)

    lifecycle.consultation_unpublish(user=user, consultation=consultation)

    assert Consultation.objects.get(pk=consultation.pk).status == Status.DRAFT


def test_attachment_must_be_a_pdf_by_content_not_name():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)
    fake = SimpleUploadedFile("draft.pdf", b"MZ\x90\x00 not a pdf")

    with pytest.raises(ValidationError, match="PDF"):
        lifecycle.attachment_add(
            user=user, consultation=consultation, title="草案", upload=fake
        )

    assert not consultation.attachments.exists()


def test_pdf_attachment_is_stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)
    pdf = SimpleUploadedFile("whatever.bin", b"%PDF-1.4\n%%EOF\n")

    attachment = lifecycle.attachment_add(
        user=user, consultation=consultation, title="草案全文", upload=pdf
    )

    assert attachment.size == len(b"%PDF-1.4\n%%EOF\n")
    assert attachment.file.name.endswith(".pdf")


def test_oversized_attachment_is_refused():
    consultation = ConsultationFactory()
    user = official(consultation.department, mfa=False)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 10)
    big.size = lifecycle.MAX_ATTACHMENT_BYTES + 1
    big.file = io.BytesIO(b"%PDF-")

    with pytest.raises(ValidationError, match="20 MB"):
        lifecycle.attachment_add(
            user=user, consultation=consultation, title="太大", upload=big
        )


# Comments follow the status ----------------------------------------------------


@pytest.mark.parametrize(
    "state", ["draft", "scheduled", "closed", "responded", "archived"]
)
def test_server_refuses_comments_when_not_open(state):
    consultation = consultation_in(state)

    with pytest.raises(PermissionDenied, match="not open"):
        comments.comment_post(
            user=UserFactory(),
            consultation=consultation,
            body="我有意见",
            idempotency_key="6b1f5c1e-0000-4000-8000-000000000001",
        )

    assert not Comment.objects.exists()


# Extension -------------------------------------------------------------------


def _follower_of(consultation):
    user = UserFactory()
    Follow.objects.create(user=user, consultation=consultation)
    return user


def test_extension_moves_closing_later_and_is_recorded(
    django_capture_on_commit_callbacks, mailoutbox
):
    consultation = consultation_in("open")
    user = official(consultation.department, mfa=False)
    follower = _follower_of(consultation)
    previous = consultation.closes_at
    later = previous + timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        extension = lifecycle.consultation_extend(
            user=user,
            consultation=consultation,
            closes_at=later,
            reason="  应居民要求延长一周  ",
        )

    consultation.refresh_from_db()
    assert consultation.closes_at == later
    assert (extension.previous_closes_at, extension.new_closes_at) == (previous, later)
    assert extension.reason == "应居民要求延长一周"
    assert extension.created_by == user
    broadcast = Broadcast.objects.get()
    assert broadcast.kind == Notification.Kind.EXTENDED
    assert broadcast.audience == Broadcast.Audience.FOLLOWERS
    assert broadcast.finished_at is not None
    assert Notification.objects.get().user == follower
    assert [m.to for m in mailoutbox] == [[follower.email]]


@pytest.mark.parametrize("state", ["draft", "scheduled", "closed", "responded"])
def test_extension_only_while_open(state):
    consultation = consultation_in(state)
    closes = consultation.closes_at or now()

    with pytest.raises(PermissionDenied, match="open consultation"):
        lifecycle.consultation_extend(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
            closes_at=closes + timedelta(days=7),
            reason="延期",
        )

    assert not ClosingExtension.objects.exists()


@pytest.mark.parametrize("shift", [timedelta(0), timedelta(days=-1)])
def test_extension_must_move_closing_later(shift):
    consultation = consultation_in("open")

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_extend(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
            closes_at=consultation.closes_at + shift,
            reason="延期",
        )

    assert "closes_at" in error.value.message_dict
    assert not ClosingExtension.objects.exists()


def test_extension_needs_a_reason():
    consultation = consultation_in("open")

    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_extend(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
            closes_at=consultation.closes_at + timedelta(days=3),
            reason="   ",
        )

    assert "reason" in error.value.message_dict
    assert not Broadcast.objects.exists()


def test_extension_refused_for_another_departments_official():
    consultation = consultation_in("open")

    with pytest.raises(PermissionDenied):
        lifecycle.consultation_extend(
            user=official(mfa=False),
            consultation=consultation,
            closes_at=consultation.closes_at + timedelta(days=3),
            reason="越权延期",
        )


# Archive and closing announcements ----------------------------------------------


def test_archive_a_responded_consultation():
    consultation = consultation_in("responded")

    lifecycle.consultation_archive(
        user=official(consultation.department, mfa=False), consultation=consultation
    )

    assert Consultation.objects.get(pk=consultation.pk).status == Status.ARCHIVED


@pytest.mark.parametrize("state", ["draft", "scheduled", "open", "closed", "archived"])
def test_archive_only_when_responded(state):
    consultation = consultation_in(state)
    archived_at = consultation.archived_at

    with pytest.raises(PermissionDenied, match="published response"):
        lifecycle.consultation_archive(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
        )

    assert Consultation.objects.get(pk=consultation.pk).archived_at == archived_at


def test_closing_is_announced_to_followers_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    consultation = consultation_in("closed")
    consultation.closes_at = now() - timedelta(hours=2)
    consultation.save()
    follower = _follower_of(consultation)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.closing_announce()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.closing_announce()

    notification = Notification.objects.get()
    assert (notification.user, notification.kind) == (follower, "closed")
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1
