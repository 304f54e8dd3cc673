"""Schedule, live questions, testimony, the record and reminders."""

import io
import uuid
from datetime import timedelta

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from consultations.models import Consultation
from hearings import calendar
from hearings.models import Hearing, LiveQuestion, Record
from hearings.models import Testimony as WrittenTestimony
from hearings.services import questions, records, schedule, testimony
from notifications.models import Notification
from tests.factories import ConsultationFactory, UserFactory, moderator, official
from tests.hearings.factories import (
    HearingFactory,
    QuestionFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def hearing_fields(**overrides):
    start = timezone.now() + timedelta(days=5)
    return {
        "title": "养老条例听证会",
        "description": "听取意见。",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "",
        "stream_url": "",
        "embed_stream": False,
        "registration_deadline": start - timedelta(days=1),
        "capacity": 50,
        "speaker_slots": 5,
        "speaker_minutes": 5,
        "testimony_deadline": start + timedelta(days=1),
        **overrides,
    }


# Schedule ------------------------------------------------------------------------


def test_official_creates_a_hearing_for_an_open_consultation():
    consultation = ConsultationFactory(open=True)
    hearing = schedule.hearing_create(
        user=official(consultation.department),
        consultation=consultation,
        **hearing_fields(),
    )
    assert hearing.status == Hearing.State.SCHEDULED


def test_no_hearing_for_a_closed_consultation_or_another_department():
    closed = ConsultationFactory(closed=True)
    with pytest.raises(PermissionDenied):
        schedule.hearing_create(
            user=official(closed.department), consultation=closed, **hearing_fields()
        )
    open_one = ConsultationFactory(open=True)
    with pytest.raises(PermissionDenied):
        schedule.hearing_create(
            user=official(), consultation=open_one, **hearing_fields()
        )
    assert not Hearing.objects.exists()


def test_a_stream_from_a_host_not_on_the_allowlist_is_refused(settings):
    settings.HEARING_STREAM_HOSTS = ["live.cq.gov.cn"]
    hearing = HearingFactory()
    owner = official(hearing.consultation.department)
    with pytest.raises(ValidationError, match=r"over HTTPS from live\.cq\.gov\.cn"):
        schedule.hearing_update(
            user=owner,
            hearing=hearing,
            stream_url="https://evil.example/player",
            embed_stream=True,
        )
    hearing.refresh_from_db()
    assert hearing.stream_url == ""


def test_an_allowlisted_stream_is_embedded_and_others_are_links(settings):
    settings.HEARING_STREAM_HOSTS = ["live.cq.gov.cn"]
    hearing = HearingFactory()
    owner = official(hearing.consultation.department)
    schedule.hearing_update(
        user=owner,
        hearing=hearing,
        stream_url="https://live.cq.gov.cn/embed/1",
        embed_stream=True,
    )
    hearing.refresh_from_db()
    assert hearing.stream_embeddable
    settings.HEARING_STREAM_HOSTS = []
    assert not hearing.stream_embeddable


def test_rescheduling_bumps_the_sequence_and_tells_registered_residents(
    django_capture_on_commit_callbacks,
):
    hearing = HearingFactory()
    registration = RegistrationFactory(hearing=hearing)
    owner = official(hearing.consultation.department)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.hearing_update(
            user=owner,
            hearing=hearing,
            starts_at=hearing.starts_at + timedelta(hours=1),
            ends_at=hearing.ends_at + timedelta(hours=1),
        )
    hearing.refresh_from_db()
    assert hearing.sequence == 1
    assert Notification.objects.get(user=registration.user).kind == "hearing_changed"


def test_capacity_cannot_drop_below_the_places_taken():
    hearing = HearingFactory(capacity=2, speaker_slots=0)
    RegistrationFactory(hearing=hearing)
    RegistrationFactory(hearing=hearing)
    owner = official(hearing.consultation.department)
    with pytest.raises(ValidationError, match="already hold a place"):
        schedule.hearing_update(user=owner, hearing=hearing, capacity=1)
    hearing.refresh_from_db()
    assert hearing.capacity == 2


def test_state_moves_by_the_official_and_by_the_clock():
    hearing = HearingFactory()
    owner = official(hearing.consultation.department)
    schedule.hearing_move(user=owner, hearing=hearing, to="live")
    hearing.refresh_from_db()
    assert hearing.status == "live"
    assert hearing.status_at(hearing.ends_at) == "ended"
    with pytest.raises(ValidationError):
        schedule.hearing_move(user=owner, hearing=hearing, to="scheduled")
    assert HearingFactory(live=True).status == "live"
    assert HearingFactory(ended=True).status == "ended"


# Calendar ------------------------------------------------------------------------


def test_calendar_has_the_time_zone_and_the_right_times():
    hearing = HearingFactory()
    parsed = Calendar.from_ical(calendar.calendar_for([hearing], name="x"))
    zones = list(parsed.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    event = parsed.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTART") == hearing.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == hearing.ends_at.replace(microsecond=0)
    assert event["SEQUENCE"] == 0


# Questions -----------------------------------------------------------------------


def test_a_question_waits_for_moderation_and_is_stored_once():
    hearing = HearingFactory(live=True)
    resident = UserFactory()
    key = uuid.uuid4()
    first, created = questions.question_post(
        user=resident, hearing=hearing, body="何时实施？", idempotency_key=key
    )
    again, created_again = questions.question_post(
        user=resident, hearing=hearing, body="何时实施？", idempotency_key=key
    )
    assert (created, created_again) == (True, False)
    assert first == again
    assert first.status == LiveQuestion.Status.PENDING


def test_questions_are_taken_only_while_live():
    with pytest.raises(PermissionDenied, match="live session"):
        questions.question_post(
            user=UserFactory(),
            hearing=HearingFactory(),
            body="?",
            idempotency_key=uuid.uuid4(),
        )


def test_one_upvote_per_resident_and_a_second_click_withdraws_it():
    question = QuestionFactory()
    voter = UserFactory()
    assert questions.question_upvote(user=voter, question=question) is True
    question.refresh_from_db()
    assert question.upvote_count == 1
    assert questions.question_upvote(user=voter, question=question) is False
    question.refresh_from_db()
    assert question.upvote_count == 0


def test_an_upvote_on_a_hidden_question_is_refused():
    question = QuestionFactory(status=LiveQuestion.Status.HIDDEN)
    with pytest.raises(ValidationError, match="not shown"):
        questions.question_upvote(user=UserFactory(), question=question)
    question.refresh_from_db()
    assert question.upvote_count == 0
    assert not question.upvotes.exists()


def test_moderator_approves_merges_and_answers():
    original = QuestionFactory()
    duplicate = QuestionFactory(hearing=original.hearing, status="pending")
    mod = moderator(original.hearing.consultation.department)
    version = original.hearing.qa_version
    questions.question_merge(moderator=mod, question=duplicate, into=original)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == "hidden" and duplicate.merged_into == original
    assert original.upvote_count == 1
    questions.question_answer(
        moderator=mod, question=original, state="answered", answer="明年实施。"
    )
    original.refresh_from_db()
    assert (original.answer_state, original.answer) == ("answered", "明年实施。")
    original.hearing.refresh_from_db()
    assert original.hearing.qa_version > version


def test_residents_cannot_moderate_questions():
    question = QuestionFactory(status="pending")
    with pytest.raises(PermissionDenied):
        questions.question_approve(moderator=UserFactory(), question=question)
    question.refresh_from_db()
    assert question.status == "pending"


# Testimony -----------------------------------------------------------------------


def test_testimony_with_a_pdf_under_pre_moderation_waits():
    hearing = HearingFactory(
        consultation=ConsultationFactory(
            open=True, moderation=Consultation.Moderation.PRE
        )
    )
    upload = SimpleUploadedFile("意见.pdf", PDF, content_type="application/pdf")
    item = testimony.testimony_submit(
        user=UserFactory(), hearing=hearing, body="我的意见。", upload=upload
    )
    assert item.status == "pending"
    assert item.file.name.endswith(".pdf")


def test_a_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_stored():
    hearing = HearingFactory()
    upload = SimpleUploadedFile(
        "fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="not a PDF"):
        testimony.testimony_submit(
            user=UserFactory(), hearing=hearing, body="意见", upload=upload
        )
    assert not WrittenTestimony.objects.exists()


def test_testimony_after_the_deadline_is_refused():
    hearing = HearingFactory(
        ended=True, testimony_deadline=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(PermissionDenied, match="deadline"):
        testimony.testimony_submit(user=UserFactory(), hearing=hearing, body="意见")


# Record and reminders ------------------------------------------------------------


def test_record_is_published_after_the_hearing_and_participants_are_told(
    django_capture_on_commit_callbacks,
):
    hearing = HearingFactory(ended=True)
    attendee = RegistrationFactory(hearing=hearing).user
    asker = QuestionFactory(hearing=hearing).author
    owner = official(hearing.consultation.department)
    with django_capture_on_commit_callbacks(execute=True):
        records.record_publish(user=owner, hearing=hearing, minutes="会议纪要。")
    hearing.refresh_from_db()
    assert hearing.status == "record_published"
    told = set(
        Notification.objects.filter(kind="hearing_record").values_list(
            "user", flat=True
        )
    )
    assert told == {attendee.pk, asker.pk}
    assert Record.objects.get(hearing=hearing).announced_at is not None


def test_record_cannot_be_published_before_the_hearing_ends():
    hearing = HearingFactory()
    with pytest.raises(PermissionDenied):
        records.record_publish(
            user=official(hearing.consultation.department), hearing=hearing, minutes="x"
        )
    assert not Record.objects.exists()


def test_transcript_from_txt_and_docx_and_garbage():
    text = SimpleUploadedFile("t.txt", "主持人：开会。".encode("gb18030"))
    assert records.transcript_from_upload(text) == "主持人：开会。"
    document = docx.Document()
    document.add_paragraph("第一位发言人：支持。")
    buffer = io.BytesIO()
    document.save(buffer)
    word = SimpleUploadedFile("t.docx", buffer.getvalue())
    assert records.transcript_from_upload(word) == "第一位发言人：支持。"
    with pytest.raises(ValidationError):
        records.transcript_from_upload(
            SimpleUploadedFile("t.docx", b"PK\x03\x04broken")
        )
    with pytest.raises(ValidationError):
        records.transcript_from_upload(SimpleUploadedFile("t.txt", b"\x00\x01\x02"))


def test_reminders_24h_and_1h_before_are_sent_once():
    now = timezone.now()
    tomorrow = HearingFactory(
        starts_at=now + timedelta(hours=20),
        ends_at=now + timedelta(hours=22),
        registration_deadline=now + timedelta(hours=10),
    )
    soon = HearingFactory(
        starts_at=now + timedelta(minutes=40),
        ends_at=now + timedelta(hours=2),
        registration_deadline=now,
    )
    a = RegistrationFactory(hearing=tomorrow).user
    b = RegistrationFactory(hearing=soon).user
    assert records.reminders_send(now=now) == 2
    assert records.reminders_send(now=now) == 0
    keys = set(Notification.objects.values_list("user", "key"))
    assert (
        a.pk,
        f"hearing:{tomorrow.pk}:reminder:24h:{int(tomorrow.starts_at.timestamp())}",
    ) in keys
    assert (
        b.pk,
        f"hearing:{soon.pk}:reminder:1h:{int(soon.starts_at.timestamp())}",
    ) in keys
