"""Smoke tests of bench/api_lists.py: its synthetic demands load, every
endpoint it times answers with few queries, and wrk measures one for a
second against a live server. The benchmark itself is not part of the
test suite."""

import pytest

from bench import api_lists, loadgen, prepare, run
from demands.models import Demand, DemandSource
from tests import factories as f

needs_wrk = pytest.mark.skipif(
    not loadgen.wrk_available(), reason="wrk is not installed (apt-get install wrk)"
)


def small_world():
    district = f.district(code="500103")
    f.AreaFactory(code="500103001", parent=district, level=3)
    f.DepartmentFactory()
    f.TopicFactory()
    consultation = f.ConsultationFactory(open=True)
    for _ in range(30):
        f.CommentFactory(consultation=consultation)
    return consultation, district


@pytest.mark.django_db
def test_seed_adds_demands_once_and_every_endpoint_is_cheap(settings):
    settings.API_ANON_THROTTLE_RATE = ""
    consultation, district = small_world()

    assert api_lists.seed_demands(12) == 12
    assert api_lists.seed_demands(12) == 0
    assert Demand.objects.count() == 12
    assert DemandSource.objects.count() == 30  # three each while comments last

    cursor = api_lists.deep_cursor(consultation, 1)
    paths = api_lists.pages(consultation.pk, cursor, district.code)
    assert set(api_lists.BUDGETED) <= set(paths)
    for name, path in paths.items():
        status, queries = prepare.page_queries(path, host="127.0.0.1")
        assert status == 200, (name, path)
        assert queries <= 6, (name, queries)


@needs_wrk
@pytest.mark.django_db(transaction=True)
def test_wrk_times_an_endpoint(live_server, settings):
    settings.API_ANON_THROTTLE_RATE = ""
    f.TopicFactory()
    args = api_lists.arguments_from(
        ["--seconds", "1", "--rounds", "1", "--connections", "2"]
    )
    urls = {
        "topics": (f"{live_server.url}/api/v1/topics/", ""),
        "about": (f"{live_server.url}/about/", ""),
    }
    figures = run.measure_pages(args, urls)
    assert figures["topics"]["requests"] > 0
    assert figures["topics"]["errors"] == 0
