"""Public hearing pages, the live page's polled fragment, the calendar
files, and bad input through the pages: a clear message, nothing changed."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hearings.models import LiveQuestion, Record, Registration, Testimony
from tests.factories import ConsultationFactory, UserFactory, moderator
from tests.hearings.factories import (
    AgendaItemFactory,
    HearingFactory,
    QuestionFactory,
    RegistrationFactory,
    TestimonyFactory,
    speaker,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MAX_QUERIES = 20


def busy_hearing(**kwargs):
    hearing = HearingFactory(**kwargs)
    for _ in range(3):
        AgendaItemFactory(hearing=hearing)
        speaker(hearing, approved=True)
        TestimonyFactory(hearing=hearing)
    return hearing


def test_list_shows_upcoming_and_past_with_bounded_queries(
    client, django_assert_max_num_queries
):
    upcoming = [busy_hearing() for _ in range(3)]
    past = HearingFactory(ended=True)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("hearings:list"), **EN)
    assert response.status_code == 200
    assert all(h.title in response.content.decode() for h in upcoming)
    assert past.title not in response.content.decode()
    response = client.get(reverse("hearings:list"), {"when": "past"}, **EN)
    assert past.title in response.content.decode()


def test_list_survives_bad_filters(client):
    response = client.get(reverse("hearings:list"), {"when": "x", "department": "zz"})
    assert response.status_code == 200


def test_draft_consultations_hearing_is_hidden(client):
    hearing = HearingFactory(consultation=ConsultationFactory())
    assert client.get(hearing.get_absolute_url()).status_code == 404
    assert hearing.title not in client.get(reverse("hearings:list")).content.decode()


@pytest.mark.parametrize("as_resident", [False, True])
def test_detail_page_bounded_queries(
    client, django_assert_max_num_queries, as_resident
):
    hearing = busy_hearing()
    if as_resident:
        client.force_login(
            RegistrationFactory(
                hearing=hearing, user=UserFactory(preferred_language="en")
            ).user
        )
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(hearing.get_absolute_url(), **EN)
    assert response.status_code == 200
    assert "Speakers" in response.content.decode()


def test_resident_registers_through_the_page(client):
    hearing = HearingFactory()
    resident = UserFactory(preferred_language="en")
    client.force_login(resident)
    response = client.post(
        reverse("hearings:register", args=[hearing.pk]),
        {"kind": "speak", "topic": "社区食堂"},
        **EN,
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=resident).topic == "社区食堂"


@pytest.mark.parametrize(
    "case", ["after_deadline", "twice", "closed_consultation", "no_topic"]
)
def test_bad_registrations_get_a_message_and_change_nothing(client, case):
    resident = UserFactory(preferred_language="en")
    hearing = HearingFactory()
    expected = {
        "after_deadline": "deadline has passed",
        "twice": "already registered",
        "closed_consultation": "consultation of this hearing is closed",
        "no_topic": "want to speak about",
    }[case]
    if case == "after_deadline":
        hearing = HearingFactory(
            registration_deadline=timezone.now() - timedelta(minutes=1)
        )
    elif case == "closed_consultation":
        hearing = HearingFactory(consultation=ConsultationFactory(closed=True))
    elif case == "twice":
        RegistrationFactory(hearing=hearing, user=resident)
    before = Registration.objects.count()
    client.force_login(resident)
    response = client.post(
        reverse("hearings:register", args=[hearing.pk]),
        {"kind": "speak" if case == "no_topic" else "attend"},
        **EN,
    )
    assert response.status_code in (400, 403)
    assert expected in response.content.decode()
    assert Registration.objects.count() == before


def test_anonymous_register_goes_to_log_in(client):
    hearing = HearingFactory()
    response = client.post(
        reverse("hearings:register", args=[hearing.pk]), {"kind": "attend"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_cancel_through_the_page(client):
    registration = RegistrationFactory()
    client.force_login(registration.user)
    client.post(reverse("hearings:cancel", args=[registration.hearing_id]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_fake_pdf_gets_a_clear_message_and_nothing_is_stored(client):
    hearing = HearingFactory()
    client.force_login(UserFactory(preferred_language="en"))
    upload = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")
    response = client.post(
        reverse("hearings:testimony", args=[hearing.pk]),
        {"body": "我的意见", "upload": upload},
        **EN,
    )
    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()
    assert not Testimony.objects.filter(body="我的意见").exists()


def test_testimony_with_a_real_pdf(client):
    hearing = HearingFactory()
    client.force_login(UserFactory(preferred_language="en"))
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        reverse("hearings:testimony", args=[hearing.pk]),
        {"body": "我的意见", "upload": upload},
    )
    assert response.status_code == 302
    assert Testimony.objects.get(body="我的意见").file


# Live ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "resident", "moderator"])
def test_live_page_bounded_queries(client, django_assert_max_num_queries, who):
    hearing = busy_hearing(live=True)
    for _ in range(5):
        QuestionFactory(hearing=hearing)
    QuestionFactory(hearing=hearing, status="pending")
    if who == "resident":
        client.force_login(UserFactory(preferred_language="en"))
    elif who == "moderator":
        mod = moderator(hearing.consultation.department)
        mod.preferred_language = "en"
        mod.save()
        client.force_login(mod)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("hearings:live", args=[hearing.pk]), **EN)
    assert response.status_code == 200
    assert ("Awaiting moderation" in response.content.decode()) == (who == "moderator")


def test_question_fragment_answers_304_while_nothing_changed(
    client, django_assert_max_num_queries
):
    question = QuestionFactory()
    url = reverse("hearings:questions", args=[question.hearing_id])
    first = client.get(url)
    assert first.status_code == 200
    assert question.body in first.content.decode()
    with django_assert_max_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    QuestionFactory(hearing=question.hearing, body="新问题？")
    from hearings.services.schedule import bump_questions

    bump_questions(question.hearing_id)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "新问题？" in changed.content.decode()


def test_upvotes_reorder_the_list(client):
    hearing = HearingFactory(live=True)
    low = QuestionFactory(hearing=hearing, body="少人关心？")
    high = QuestionFactory(hearing=hearing, body="多人关心？")
    for _ in range(2):
        voter = UserFactory(preferred_language="en")
        client.force_login(voter)
        client.post(reverse("hearings:question_upvote", args=[hearing.pk, high.pk]))
    page = client.get(reverse("hearings:questions", args=[hearing.pk])).content.decode()
    assert page.index("多人关心？") < page.index("少人关心？")
    assert low.upvote_count == 0


def test_upvote_on_a_hidden_question_gets_a_message(client):
    question = QuestionFactory(status=LiveQuestion.Status.HIDDEN)
    client.force_login(UserFactory(preferred_language="en"))
    response = client.post(
        reverse("hearings:question_upvote", args=[question.hearing_id, question.pk]),
        **EN,
    )
    assert response.status_code == 400
    assert "cannot be upvoted" in response.content.decode()
    question.refresh_from_db()
    assert question.upvote_count == 0


def test_posting_a_question_through_the_page(client):
    hearing = HearingFactory(live=True)
    client.force_login(UserFactory(preferred_language="en"))
    response = client.post(
        reverse("hearings:question_post", args=[hearing.pk]),
        {
            "body": "何时开始？",
            "idempotency_key": "6f1d3c1e-2b8a-4f51-9d0e-3c7a5b1e8d42",
        },
    )
    assert response.status_code == 302
    assert LiveQuestion.objects.get().status == "pending"


def test_stream_embedded_only_from_allowlisted_hosts(client, settings):
    settings.HEARING_STREAM_HOSTS = ["live.cq.gov.cn"]
    good = HearingFactory(
        live=True, stream_url="https://live.cq.gov.cn/e/1", embed_stream=True
    )
    other = HearingFactory(
        live=True, stream_url="https://elsewhere.example/v", embed_stream=True
    )
    page = client.get(reverse("hearings:live", args=[good.pk])).content.decode()
    assert '<iframe src="https://live.cq.gov.cn/e/1"' in page
    page = client.get(reverse("hearings:live", args=[other.pk])).content.decode()
    assert "<iframe" not in page and "https://elsewhere.example/v" in page


# Calendar and record -------------------------------------------------------------


def test_hearing_calendar_and_feed_parse(client):
    hearing = HearingFactory()
    response = client.get(reverse("hearings:calendar", args=[hearing.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == hearing.starts_at.replace(microsecond=0)
    feed = Calendar.from_ical(client.get(reverse("hearings:calendar_feed")).content)
    assert len(feed.walk("VEVENT")) == 1


def test_record_page_and_download(client, django_assert_max_num_queries):
    hearing = busy_hearing(ended=True)
    QuestionFactory(hearing=hearing, answer_state="answered", answer="已答复。")
    Record.objects.create(
        hearing=hearing, minutes="纪要正文", published_at=timezone.now()
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(reverse("hearings:record", args=[hearing.pk]))
    assert "纪要正文" in page.content.decode() and "已答复。" in page.content.decode()
    download = client.get(reverse("hearings:record_download", args=[hearing.pk]))
    assert "attachment" in download["Content-Disposition"]
    assert "纪要正文" in download.content.decode()


def test_unpublished_record_is_404(client):
    hearing = HearingFactory(ended=True)
    assert client.get(reverse("hearings:record", args=[hearing.pk])).status_code == 404


def test_home_page_lists_upcoming_hearings(client):
    hearing = HearingFactory()
    assert hearing.title in client.get("/").content.decode()
