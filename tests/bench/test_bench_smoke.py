"""Smoke tests of the benchmark scripts in bench/: each piece runs for a
second against a live server with a handful of comments. The benchmarks
themselves (`make bench`) are not part of the test suite."""

import pytest

from bench import loadgen, prepare, run
from consultations import selectors
from consultations.models import Comment, Consultation
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    SectionFactory,
    UserFactory,
)

needs_wrk = pytest.mark.skipif(
    not loadgen.wrk_available(), reason="wrk is not installed (apt-get install wrk)"
)


def open_consultation() -> Consultation:
    consultation = ConsultationFactory(open=True)
    SectionFactory(consultation=consultation, anchor="article-1", number="第一条")
    return consultation


def posters(live_server, consultation: Consultation, count: int) -> list:
    sessions = prepare.signed_in_sessions([UserFactory() for _ in range(count)])
    form = f"/consultations/{consultation.pk}/comments/new/"
    return [
        loadgen.load_form(live_server.url, form, loadgen.Poster(key))
        for key in sessions
    ]


FIELDS = [
    {"body": "建议增加公交班次。", "stance": "suggestion", "section": ""},
    {"body": "I support article 1.", "stance": "support", "section": "article-1"},
]


@needs_wrk
@pytest.mark.django_db(transaction=True)
def test_wrk_measures_the_about_page(live_server):
    result = loadgen.wrk(f"{live_server.url}/about/", seconds=1, connections=2)

    assert result.requests > 0
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms <= result.max_ms


@pytest.mark.django_db(transaction=True)
def test_posting_load_stores_every_accepted_comment_exactly_once(live_server):
    consultation = open_consultation()
    ready = posters(live_server, consultation, 4)

    result = loadgen.post_comments(
        url=live_server.url,
        path=f"/consultations/{consultation.pk}/comments/new/",
        posters=ready,
        fields=FIELDS,
        seconds=1,
        concurrency=2,
    )

    sent = [key for key, _status, _ms in result.sent]
    check = prepare.check_posts(sent, result.accepted_keys)
    assert check["accepted"] > 0
    assert check["lost"] == check["doubled"] == check["stored_but_refused"] == 0
    assert consultation.comments.count() == check["stored"]
    assert consultation.comments.filter(section__anchor="article-1").exists()
    assert result.per_second > 0


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_during_the_benchmark_stores_one_comment(live_server):
    consultation = open_consultation()
    (poster,) = posters(live_server, consultation, 1)

    key, answers = loadgen.post_same_key_twice(
        url=live_server.url,
        path=f"/consultations/{consultation.pk}/comments/new/",
        poster=poster,
        fields=FIELDS[0],
    )

    assert answers == [302, 302, 302]
    assert Comment.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.django_db
def test_cursor_after_follows_the_show_more_links():
    consultation = open_consultation()
    for _ in range(45):
        CommentFactory(consultation=consultation)
    first = selectors.comment_page(consultation=consultation, viewer=UserFactory())

    cursor = prepare.cursor_after(consultation, 2)

    second = selectors.comment_page(
        consultation=consultation, viewer=UserFactory(), cursor=first.next_cursor
    )
    assert cursor == second.next_cursor
    with pytest.raises(ValueError, match="Fewer than 3 pages"):
        prepare.cursor_after(consultation, 3)


@pytest.mark.django_db
def test_page_queries_counts_the_queries_of_one_request():
    consultation = open_consultation()
    CommentFactory(consultation=consultation)

    status, queries = prepare.page_queries(
        f"/consultations/{consultation.pk}/", host="127.0.0.1"
    )

    assert status == 200
    assert 0 < queries < 30


@pytest.mark.django_db
def test_delete_posts_removes_only_the_benchmark_posts():
    kept = CommentFactory()
    posted = CommentFactory(consultation=kept.consultation)

    prepare.delete_posts([posted.idempotency_key])

    assert list(Comment.objects.all()) == [kept]


def test_server_runs_in_production_mode_on_plain_http():
    env = run.server_environment(
        run.arguments_from(["--database-url", "postgres://x@127.0.0.1/minyi_bench"])
    )

    assert env["DEBUG"] == "0"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["DATABASE_URL"].endswith("/minyi_bench")


def test_report_states_each_budget(capsys):
    page = {"per_second": 400.0, "p50_ms": 20, "p90_ms": 30, "p99_ms": 45, "errors": 0}
    results = {
        "pages": {
            "about": {**page, "per_second": 600.0},
            "consultation": page,
            "comment list page 500": {**page, "p99_ms": 60},
        },
        "posting": {
            "per_second": 250.0,
            "p50_ms": 30,
            "p99_ms": 80,
            "statuses": {302: 100},
            "check": {
                "lost": 0,
                "doubled": 0,
                "stored_but_refused": 0,
                "double submit stored": 1,
            },
        },
        "queries": {},
        "machine": {},
    }

    run.report(results)

    out = capsys.readouterr().out
    assert "[met] consultation page p99 < 50 ms: 45.0 ms" in out
    assert "[MISSED] comment list page 500 p99 < 50 ms: 60.0 ms" in out
    assert "[met] consultation page >= 50% of /about/ throughput: 67%" in out
    assert "[met] >= 200 posts/s: 250 posts/s" in out
    assert "[met] nothing lost or doubled" in out
