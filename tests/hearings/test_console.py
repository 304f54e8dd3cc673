"""The hearings console and moderation: the role matrix for every page and
every change (anonymous → log in; resident → 403; official of another
department → 403; official of the department → 200), and what officials
and moderators do through it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.models import Hearing, LiveQuestion, Record, Registration
from tests.factories import ConsultationFactory, UserFactory, moderator, official
from tests.hearings.factories import (
    AgendaItemFactory,
    HearingFactory,
    QuestionFactory,
    RegistrationFactory,
    TestimonyFactory,
    speaker,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def _form(hearing_or_none=None, **overrides):
    start = timezone.localtime() + timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "title": "听证会",
        "description": "说明",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "registration_deadline": (start - timedelta(days=1)).strftime(fmt),
        "testimony_deadline": (start + timedelta(days=1)).strftime(fmt),
        "capacity": 20,
        "speaker_slots": 2,
        "speaker_minutes": 5,
        **overrides,
    }


def pages(hearing):
    ended = HearingFactory(ended=True, consultation=hearing.consultation)
    return [
        reverse("hearings_console:index"),
        reverse("hearings_console:create", args=[hearing.consultation_id]),
        reverse("hearings_console:overview", args=[hearing.pk]),
        reverse("hearings_console:edit", args=[hearing.pk]),
        reverse("hearings_console:record", args=[ended.pk]),
    ]


@pytest.mark.parametrize("role", ["anonymous", "resident", "outsider", "owner"])
def test_console_pages_role_matrix(client, django_assert_max_num_queries, role):
    hearing = HearingFactory()
    for _ in range(3):
        AgendaItemFactory(hearing=hearing)
        speaker(hearing, approved=True)
        RegistrationFactory(hearing=hearing)
    users = {
        "resident": UserFactory(),
        "outsider": official(),
        "owner": official(hearing.consultation.department),
    }
    if role in users:
        client.force_login(users[role])
    for url in pages(hearing):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        if role == "anonymous":
            assert (
                response.status_code == 302
                and "/accounts/login/" in response["Location"]
            )
        elif role == "owner" or (role == "outsider" and url.endswith("/hearings/")):
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


def changes(hearing):
    item = AgendaItemFactory(hearing=hearing)
    request = speaker(hearing)
    return [
        ("create", [hearing.consultation_id], _form()),
        ("edit", [hearing.pk], _form(title="改")),
        ("move", [hearing.pk], {"to": "live"}),
        ("agenda_add", [hearing.pk], {"title": "新议程", "planned_minutes": 5}),
        ("agenda_change", [hearing.pk, item.pk], {"action": "delete"}),
        ("speaker", [hearing.pk, request.pk], {"action": "approve"}),
    ]


@pytest.mark.parametrize("role", ["resident", "outsider"])
def test_console_changes_are_refused_and_change_nothing(client, role):
    hearing = HearingFactory()
    client.force_login(UserFactory() if role == "resident" else official())
    for name, args, data in changes(hearing):
        response = client.post(reverse(f"hearings_console:{name}", args=args), data)
        assert response.status_code == 403, name
    hearing.refresh_from_db()
    assert hearing.title.startswith("听证会") and hearing.state == "scheduled"
    assert Hearing.objects.count() == 1
    assert hearing.agenda.count() == 1
    assert not Registration.objects.filter(speaker="approved").exists()


def test_owner_schedules_edits_and_runs_a_hearing(client):
    consultation = ConsultationFactory(open=True)
    owner = official(consultation.department)
    client.force_login(owner)
    response = client.post(
        reverse("hearings_console:create", args=[consultation.pk]), _form()
    )
    hearing = Hearing.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("hearings_console:agenda_add", args=[hearing.pk]),
        {"title": "开场", "planned_minutes": 5},
    )
    request = speaker(hearing)
    client.post(
        reverse("hearings_console:speaker", args=[hearing.pk, request.pk]),
        {"action": "approve"},
    )
    client.post(reverse("hearings_console:move", args=[hearing.pk]), {"to": "live"})
    client.post(
        reverse("hearings_console:floor", args=[hearing.pk]),
        {"registration": request.pk},
    )
    hearing.refresh_from_db()
    assert hearing.status == "live" and hearing.agenda.count() == 1
    assert hearing.now_speaking_id == request.pk


def test_bad_hearing_form_shows_errors_without_saving(client, settings):
    settings.HEARING_STREAM_HOSTS = ["live.cq.gov.cn"]
    consultation = ConsultationFactory(open=True)
    client.force_login(official(consultation.department))
    response = client.post(
        reverse("hearings_console:create", args=[consultation.pk]),
        _form(stream_url="https://evil.example/x", embed_stream="on"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Hearing.objects.exists()


def test_owner_publishes_the_record_with_a_txt_transcript(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hearing = HearingFactory(ended=True)
    client.force_login(official(hearing.consultation.department))
    response = client.post(
        reverse("hearings_console:record", args=[hearing.pk]),
        {
            "minutes": "纪要",
            "recording_url": "https://video.example/1",
            "transcript_file": SimpleUploadedFile("t.txt", "逐字稿".encode()),
        },
    )
    assert response.status_code == 302
    record = Record.objects.get(hearing=hearing)
    assert record.transcript == "逐字稿" and record.published_at


@pytest.mark.parametrize("role", ["resident", "outsider", "moderator", "owner"])
def test_question_moderation_role_matrix(client, role):
    question = QuestionFactory(status="pending")
    department = question.hearing.consultation.department
    users = {
        "resident": UserFactory(),
        "outsider": moderator(ConsultationFactory().department),
        "moderator": moderator(department),
        "owner": official(department),
    }
    client.force_login(users[role])
    response = client.post(
        reverse("hearings_console:question", args=[question.hearing_id, question.pk]),
        {"action": "approve"},
    )
    question.refresh_from_db()
    allowed = role in ("moderator", "owner")
    assert response.status_code == (302 if allowed else 403)
    assert question.status == ("visible" if allowed else "pending")


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_testimony_moderation_role_matrix(client, role):
    item = TestimonyFactory(status=LiveQuestion.Status.PENDING)
    department = item.hearing.consultation.department
    client.force_login(UserFactory() if role == "resident" else moderator(department))
    response = client.post(
        reverse("hearings_console:testimony", args=[item.hearing_id, item.pk]),
        {"action": "hide", "reason": "广告"},
    )
    item.refresh_from_db()
    assert response.status_code == (302 if role == "moderator" else 403)
    assert item.status == ("hidden" if role == "moderator" else "pending")


# Pending items across hearings ----------------------------------------------------


def pending_in(hearing, text: str):
    QuestionFactory(hearing=hearing, status=LiveQuestion.Status.PENDING, body=text)
    TestimonyFactory(
        hearing=hearing, status=LiveQuestion.Status.PENDING, body=f"{text}（书面）"
    )


def test_pending_items_of_the_officials_hearings_are_listed_oldest_first(
    client, django_assert_max_num_queries
):
    mine = HearingFactory(live=True)
    elsewhere = HearingFactory(live=True)
    pending_in(mine, "本部门待审")
    pending_in(elsewhere, "别的部门待审")
    QuestionFactory(hearing=mine, body="已公开的问题")
    client.force_login(official(mine.consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("hearings_console:index"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "本部门待审" in page and "本部门待审（书面）" in page
    assert "别的部门待审" not in page
    assert "已公开的问题" not in page
    question = LiveQuestion.objects.get(body="本部门待审")
    assert f"/hearings/{mine.pk}/live/#question-{question.pk}" in page


def test_a_site_wide_moderator_sees_pending_items_of_every_hearing(client):
    first, second = HearingFactory(live=True), HearingFactory(live=True)
    pending_in(first, "第一场待审")
    pending_in(second, "第二场待审")
    client.force_login(moderator(None))

    page = client.get(reverse("hearings_console:index")).content.decode()

    assert "第一场待审" in page and "第二场待审（书面）" in page


def test_a_department_moderator_sees_only_that_departments_pending_items(client):
    theirs, other = HearingFactory(live=True), HearingFactory(live=True)
    pending_in(theirs, "所管部门待审")
    pending_in(other, "其他部门待审")
    client.force_login(moderator(theirs.consultation.department))

    page = client.get(reverse("hearings_console:index")).content.decode()

    assert "所管部门待审" in page
    assert "其他部门待审" not in page


def test_pending_items_page_queries_do_not_grow_with_the_items(
    client, django_assert_max_num_queries
):
    hearing = HearingFactory(live=True)
    client.force_login(official(hearing.consultation.department))
    counts = []
    for n in (1, 10):
        for i in range(n):
            pending_in(hearing, f"待审{n}-{i}")
        with django_assert_max_num_queries(MAX_QUERIES) as queries:
            assert client.get(reverse("hearings_console:index")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_resident_cannot_see_pending_items(client):
    pending_in(HearingFactory(live=True), "居民看不到")
    client.force_login(UserFactory())

    response = client.get(reverse("hearings_console:index"))

    assert response.status_code == 403
    assert "居民看不到" not in response.content.decode()
