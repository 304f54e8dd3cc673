"""No stored row of an anonymous or unlinkable response can be joined to a
user or an IP address, and one response per person holds even under
concurrent submissions."""

import threading

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.urls import reverse
from django.utils import timezone

from surveys import selectors
from surveys.models import Answer, Draft, Participation, Response, Survey
from surveys.services import answering
from tests.surveys.factories import every_kind_survey, resident

SURVEY_TABLES = ["surveys_response", "surveys_answer", "surveys_participation"]


def _columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s",
            [table],
        )
        return dict(cursor.fetchall())


def _post_all(client, built, address="203.0.113.7"):
    q = built["q"]
    survey = built["survey"]
    url = reverse("surveys:answer", args=[survey.pk])
    pages = [
        {q["single"].field_name: str(built["yes"].pk)},
        {q["rating"].field_name: "8"},
        {q["short_text"].field_name: "匿名意见"},
    ]
    response = None
    for page, fields in zip(built["pages"], pages, strict=True):
        response = client.post(
            url, {"page": page.pk, "action": "next", **fields}, REMOTE_ADDR=address
        )
    return response


@pytest.mark.django_db
def test_response_tables_store_no_time_finer_than_a_day_and_no_address():
    for table in SURVEY_TABLES:
        types = set(_columns(table).values())
        assert not {t for t in types if "timestamp" in t or t == "inet"}, table
        names = set(_columns(table))
        assert not names & {"ip", "ip_address", "remote_addr", "user_agent"}


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [Survey.Mode.ANONYMOUS, Survey.Mode.UNLINKABLE])
def test_no_stored_row_links_the_response_to_the_person(client, mode):
    built = every_kind_survey(mode=mode)
    user = None
    if mode == Survey.Mode.UNLINKABLE:
        user = resident()
        client.force_login(user)
    assert _post_all(client, built).status_code == 200
    stored = Response.objects.get()
    participation = Participation.objects.get()
    assert stored.user_id is None
    assert not Draft.objects.exists()
    # The two records share nothing but the survey and the day.
    assert stored.pk != participation.pk
    assert participation.user_id == (user.pk if user else None)
    # Nothing anywhere holds the address or the response's key with the user.
    dump = []
    for table in [*SURVEY_TABLES, "django_session"]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            dump.append(repr(cursor.fetchall()))
    text = " ".join(dump)
    assert "203.0.113.7" not in text
    sessions = " ".join(s.session_data for s in Session.objects.all())
    decoded = " ".join(repr(s.get_decoded()) for s in Session.objects.all())
    for key in (stored.pk.hex, str(stored.pk), stored.receipt_code):
        assert key not in sessions
        assert key not in decoded


@pytest.mark.django_db
def test_identified_response_is_linked_on_purpose(client):
    built = every_kind_survey(mode=Survey.Mode.IDENTIFIED)
    user = resident()
    client.force_login(user)
    _post_all(client, built)
    assert Response.objects.get().user == user
    assert not Participation.objects.exists()


@pytest.mark.django_db
def test_completion_rate_never_exceeds_one_hundred_percent(client):
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    for _ in range(3):
        client.cookies.clear()
        _post_all(client, built)
    # A fourth visitor starts but does not finish.
    client.cookies.clear()
    url = reverse("surveys:answer", args=[built["survey"].pk])
    client.post(
        url,
        {
            "page": built["pages"][0].pk,
            "action": "next",
            built["q"]["single"].field_name: str(built["yes"].pk),
        },
    )
    survey = Survey.objects.get(pk=built["survey"].pk)
    counts = selectors.survey_counts(survey=survey)
    assert counts["responses"] == 3
    assert counts["started"] == 4
    assert counts["completion"] == 75


def _race(survey, user, browser=""):
    """Two threads, each on its own database connection, submit the same
    person's draft at the same moment."""
    draft = answering.draft_start(survey=survey, user=user, browser=browser)
    q = survey.questions.get(kind="single")
    yes = q.choices.get(text_zh="是")
    rating = survey.questions.get(kind="rating")
    draft.data = {
        str(q.pk): {q.field_name: [str(yes.pk)]},
        str(rating.pk): {rating.field_name: ["5"]},
    }
    draft.save()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            local = Draft.objects.get(pk=draft.pk)
            structure = selectors.structure(survey=survey)
            barrier.wait()
            answering.response_submit(
                survey=survey,
                structure=structure,
                draft=local,
                user=user,
                browser=browser,
            )
            outcomes.append("stored")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [Survey.Mode.IDENTIFIED, Survey.Mode.UNLINKABLE])
def test_two_concurrent_submissions_store_one_response(mode):
    built = every_kind_survey(mode=mode)
    user = resident()
    outcomes = _race(built["survey"], user)
    assert Response.objects.count() == 1
    if mode == Survey.Mode.IDENTIFIED:
        # The second is either refused or an edit of the same response.
        assert outcomes.count("stored") >= 1
    else:
        assert len(outcomes) == 2
        assert outcomes.count("stored") == 1
        assert Participation.objects.count() == 1
    response = Response.objects.get()
    assert Answer.objects.filter(response=response).count() == 2
    assert Answer.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_database_refuses_a_second_identified_response_without_the_service():
    built = every_kind_survey(mode=Survey.Mode.IDENTIFIED)
    user = resident()
    Response.objects.create(
        survey=built["survey"], user=user, submitted_on=timezone.localdate()
    )
    with pytest.raises(IntegrityError):
        Response.objects.create(
            survey=built["survey"], user=user, submitted_on=timezone.localdate()
        )
