"""Smoke tests of bench/surveys_results.py: its pages answer with a bounded
number of queries, wrk measures each of them for a second against a live
server, and the report states the budget. The benchmark itself is not part
of the test suite."""

import pytest

from bench import loadgen, prepare, run, surveys_results
from civic import demo as civic_demo
from surveys import bench_data

needs_wrk = pytest.mark.skipif(
    not loadgen.wrk_available(), reason="wrk is not installed (apt-get install wrk)"
)


def small_survey():
    civic_demo.seed()
    return bench_data.seed(count=40)


@pytest.mark.django_db
def test_each_page_of_the_benchmark_answers_with_few_queries():
    survey = small_survey()

    paths = surveys_results.pages(survey)

    assert set(paths) == {
        "results",
        "results, one district",
        "results, cross-tab by question",
        "open answers, first page",
        "about",
    }
    for path in paths.values():
        status, queries = prepare.page_queries(path, host="127.0.0.1")
        assert status == 200, path
        assert queries <= 15, path


@needs_wrk
@pytest.mark.django_db(transaction=True)
def test_measure_times_the_results_page_with_one_client(live_server):
    survey = small_survey()
    paths = surveys_results.pages(survey)
    args = surveys_results.arguments_from(
        ["--seconds", "1", "--rounds", "1", "--connections", "1"]
    )

    figures = surveys_results.measure(
        args, live_server.url, {"results": paths["results"], "about": "/about/"}
    )

    page = figures["results"][1]
    assert page["requests"] > 0
    assert page["errors"] == 0
    assert 0 < page["p50_ms"] <= page["p99_ms"]
    assert figures["about"][1]["requests"] > 0


def test_report_states_the_budget_for_each_results_page(capsys):
    page = {"per_second": 40.0, "p50_ms": 30, "p90_ms": 40, "p99_ms": 60, "errors": 0}
    results = {
        "responses": 100_000,
        "queries": {"results": 11},
        "pages": {
            "results": {1: page, 4: {**page, "p99_ms": 300}},
            "results, one district": {1: {**page, "p99_ms": 250}},
            "results, cross-tab by question": {1: {**page, "errors": 2}},
        },
    }

    met = surveys_results.report(results)

    out = capsys.readouterr().out
    assert not met
    assert "[met] results renders in <= 200 ms: p50 30.0 ms, p99 60.0 ms" in out
    assert "[MISSED] results, one district renders in <= 200 ms" in out
    assert "[MISSED] results, cross-tab by question" in out
    assert "| results | 4 | 40 | 30.0 | 40.0 | 300.0 | 0 | 11 |" in out


def test_the_benchmark_uses_the_bench_database_on_its_own_port():
    args = surveys_results.arguments_from([])

    assert args.database_url == run.arguments_from([]).database_url
    assert args.port != run.arguments_from([]).port
    assert args.workers == 2
