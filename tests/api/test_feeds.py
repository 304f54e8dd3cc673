"""Atom feeds parse with feedparser and list what the pages list; hearing
calendars parse with icalendar."""

import feedparser
import icalendar
import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def _feed(client, path):
    response = client.get(path, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


def test_consultation_feed_lists_published_ones(world, client):
    parsed = _feed(client, "/feeds/consultations/")
    titles = [entry.title for entry in parsed.entries]
    assert "open consultation" in titles
    assert len(titles) == 5
    entry = next(e for e in parsed.entries if e.title == "open consultation")
    assert entry.link.endswith(f"/consultations/{world.consultations['open'].pk}/")
    assert entry.author == "Transport Bureau"


def test_consultation_feeds_per_area_topic_and_department(world, client):
    elsewhere = f.AreaFactory(code="500199", parent=world.city, level=2)
    f.consultation_in("open", title="elsewhere", areas=[elsewhere])
    for path in (
        f"/feeds/consultations/area/{world.street.code}/",
        "/feeds/consultations/topic/transport/",
        "/feeds/consultations/department/transport-bureau/",
    ):
        titles = [e.title for e in _feed(client, path).entries]
        assert "elsewhere" not in titles and len(titles) == 5, path
    titles = [
        e.title
        for e in _feed(client, f"/feeds/consultations/area/{elsewhere.code}/").entries
    ]
    assert titles == ["elsewhere"]
    assert client.get("/feeds/consultations/topic/nothing/").status_code == 404


def test_outcome_and_demand_update_feeds(world, client):
    outcomes = _feed(client, "/feeds/outcomes/")
    assert {e.title for e in outcomes.entries} == {
        "Response: responded consultation",
        "Response: archived consultation",
    }
    updates = _feed(client, "/feeds/demands/")
    assert len(updates.entries) == 1  # the internal note is not public
    assert "已开工" in updates.entries[0].summary


def test_feeds_answer_conditional_requests(world, client):
    first = client.get("/feeds/consultations/")
    again = client.get(
        "/feeds/consultations/", headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304


def test_hearing_calendars_parse(world, client):
    hearing = world.hearings["upcoming"]
    one = icalendar.Calendar.from_ical(
        client.get(f"/hearings/{hearing.pk}/calendar.ics").content
    )
    [event] = one.walk("VEVENT")
    assert str(event["summary"]) == hearing.title
    upcoming = icalendar.Calendar.from_ical(
        client.get("/hearings/calendar.ics").content
    )
    assert [str(e["summary"]) for e in upcoming.walk("VEVENT")] == [hearing.title]


def test_data_page_links_every_feed_and_calendar(world, client):
    page = client.get("/data/").content.decode()
    for path in (
        "/feeds/consultations/",
        "/feeds/outcomes/",
        "/feeds/demands/",
        "/hearings/calendar.ics",
        f"/feeds/consultations/area/{world.district.code}/",
        "/feeds/consultations/topic/transport/",
        "/open311/v2/requests.json",
        "/api/v1/docs/",
    ):
        assert path in page, path
