"""Smoke tests of bench/hearings_poll.py: a small live hearing made through
the services, and a handful of viewers polling it for a few seconds
against a live server while residents upvote. The benchmark itself
(`python -m bench.hearings_poll`) is not part of the test suite."""

import pytest

from bench import hearings_poll, prepare
from hearings.models import Hearing, LiveQuestion
from tests.factories import ConsultationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def small_hearing(residents: int = 20, questions: int = 5, upvotes: int = 12):
    people = [UserFactory() for _ in range(residents)]
    hearing = hearings_poll.prepare_hearing(
        consultation=ConsultationFactory(open=True),
        official=UserFactory(),
        residents=people,
        questions=questions,
        upvotes=upvotes,
    )
    return hearing, people


@pytest.mark.django_db
def test_the_hearing_is_live_with_approved_questions_and_upvotes():
    hearing, _people = small_hearing()

    shown = hearing.questions.filter(status=LiveQuestion.Status.VISIBLE)
    assert hearing.status == Hearing.State.LIVE
    assert shown.count() == 5
    assert hearing.questions.filter(status=LiveQuestion.Status.PENDING).count() == 10
    assert hearing.questions.filter(status=LiveQuestion.Status.HIDDEN).count() == 1
    assert sum(q.upvote_count for q in shown) == 12
    assert shown.filter(answer_state=LiveQuestion.Answer.ANSWERING).count() == 1
    assert hearing.qa_version > 0


@pytest.mark.django_db(transaction=True)
def test_viewers_get_304s_until_an_upvote_then_the_new_list(live_server):
    hearing, people = small_hearing()
    sessions = prepare.signed_in_sessions(people[:2])
    viewers = [hearings_poll.Viewer(cookie=f"sessionid={key}") for key in sessions]
    viewers += [hearings_poll.Viewer(), hearings_poll.Viewer()]
    path = f"/hearings/{hearing.pk}/live/questions/"
    changer = hearings_poll.Changer(hearing=hearing, voters=people, every=0.8)

    changer.start()
    try:
        result = hearings_poll.poll(
            url=live_server.url, path=path, viewers=viewers, seconds=4, interval=0.5
        )
    finally:
        changer.stop()

    figures = hearings_poll.summary(result, changer.changes)
    assert figures["statuses"].get(200, 0) >= len(viewers)
    assert figures["statuses"].get(304, 0) > 0
    assert figures["errors"] == 0
    assert figures["changes"] > 0
    assert figures["stale"] == 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert all(viewer.version is not None for viewer in viewers)


@pytest.mark.django_db
def test_poll_queries_counts_a_changed_and_an_unchanged_poll():
    hearing, people = small_hearing()
    path = f"/hearings/{hearing.pk}/live/questions/"
    (session,) = prepare.signed_in_sessions(people[:1])

    visitor = hearings_poll.poll_queries(path)
    resident = hearings_poll.poll_queries(path, session_key=session)

    assert visitor == {"200": 1, "304": 1}
    assert resident["304"] == 3
    assert 3 < resident["200"] <= 8


def test_stale_counts_polls_that_missed_a_committed_change():
    result = hearings_poll.PollResult(
        seconds=1,
        polls=[
            hearings_poll.Poll(0, sent_at=10.0, status=304, ms=2, version=1),
            hearings_poll.Poll(0, sent_at=12.0, status=304, ms=2, version=1),
            hearings_poll.Poll(1, sent_at=12.0, status=200, ms=9, version=2),
        ],
    )

    assert result.stale([(11.0, 2)]) == 1
    assert result.share_304 == pytest.approx(2 / 3)


def test_report_states_the_budget(capsys):
    figures = {
        "per_second": 100.0,
        "p50_ms": 4.0,
        "p90_ms": 20.0,
        "p99_ms": 150.0,
        "max_ms": 300.0,
        "p99_ms_200": 160.0,
        "p99_ms_304": 40.0,
        "statuses": {200: 100, 304: 900},
        "share_304": 0.9,
        "requests": 1000,
        "errors": 0,
        "changes": 6,
        "stale": 0,
    }

    met = hearings_poll.report({"clients": 500, "signed_in": 250, "polling": figures})

    out = capsys.readouterr().out
    assert met
    assert "[met] live Q&A poll p99 < 200 ms" in out
    assert "304s: 90.0% of 1000 requests" in out
    assert not hearings_poll.report(
        {"clients": 500, "signed_in": 250, "polling": {**figures, "p99_ms": 250.0}}
    )
