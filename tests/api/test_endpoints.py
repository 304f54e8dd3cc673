"""The read-only API: what each endpoint lists, filters, pagination,
conditional GET, CORS, throttling and bounded query counts."""

import pytest

from consultations import selectors as consultation_selectors
from consultations.models import Comment
from tests import factories as f

pytestmark = pytest.mark.django_db


def _get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_consultation_list_shows_published_only(world, client):
    data = _get(client, "/api/v1/consultations/")
    titles = {row["title"] for row in data["results"]}
    assert "open consultation" in titles
    assert "responded consultation" in titles
    assert not any("draft" in t for t in titles)
    assert data["next"] is None


def test_consultation_list_filters_by_status(world, client):
    data = _get(client, "/api/v1/consultations/", status="responded")
    assert [row["status"] for row in data["results"]] == ["responded"]


def test_area_filter_includes_sub_areas_and_areas_above(world, client):
    """A consultation for a district is listed for its streets too."""
    street = world.street.code
    data = _get(client, "/api/v1/consultations/", area=street)
    assert len(data["results"]) == 5
    other = f.AreaFactory(code="500104", parent=world.city, level=2)
    data = _get(client, "/api/v1/consultations/", area=other.code)
    assert data["results"] == []


def test_topic_department_and_dates_filter(world, client):
    data = _get(
        client,
        "/api/v1/consultations/",
        topic="transport",
        department="transport-bureau",
    )
    assert len(data["results"]) == 5
    opened = world.consultations["open"].opens_at.date()
    data = _get(
        client, "/api/v1/consultations/", since=opened.isoformat(), status="open"
    )
    assert [r["id"] for r in data["results"]] == [world.consultations["open"].pk]
    data = _get(client, "/api/v1/consultations/", until="2001-01-01", status="open")
    assert data["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},
        {"status": "nonsense"},
        {"area": "999999"},
        {"topic": "no-such-topic"},
        {"since": "yesterday"},
        {"since": "2026-02-01", "until": "2026-01-01"},
        {"q": "x" * 500},
    ],
)
def test_bad_filters_are_a_400_with_the_reason(world, client, params):
    response = client.get("/api/v1/consultations/", params)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_consultation_detail_has_sections_counts_and_outcome(world, client):
    c = world.consultations["open"]
    data = _get(client, f"/api/v1/consultations/{c.pk}/")
    assert [s["anchor"] for s in data["sections"]] == ["chapter-1", "article-1"]
    assert data["comment_count"] == 1  # the visible top-level comment
    assert data["outcome"] is None
    assert data["areas"][0]["code"] == world.district.code
    responded = world.consultations["responded"]
    data = _get(client, f"/api/v1/consultations/{responded.pk}/")
    assert data["outcome"]["items"][0]["decision"] == "adopted"


def test_draft_consultation_is_not_found(world, client):
    draft = world.consultations["draft"]
    assert client.get(f"/api/v1/consultations/{draft.pk}/").status_code == 404
    response = client.get(f"/api/v1/consultations/{draft.pk}/comments/")
    assert response.status_code == 404


def test_comments_show_placeholders_for_hidden_and_deleted(world, client):
    c = world.consultations["open"]
    data = _get(client, f"/api/v1/consultations/{c.pk}/comments/")
    by_status = {row["status"]: row for row in data["results"]}
    assert set(by_status) == {"visible", "hidden", "removed"}
    assert by_status["visible"]["author_name"] == "居民Resident0"
    assert by_status["visible"]["replies"][0]["body"].startswith("这是第")
    assert len(by_status["visible"]["replies"]) == 1  # the pending reply is left out
    hidden = by_status["hidden"]
    # As on the page: the author's name and the reason, not the text.
    assert hidden["body"] is None and hidden["author_name"] == "居民Resident2"
    assert hidden["hidden_reason"] == "广告 advertising"
    assert by_status["removed"]["body"] is None
    assert by_status["removed"]["author_name"] is None


def test_comment_pages_follow_the_cursor(world, client):
    c = world.consultations["open"]
    for n in range(5):
        f.CommentFactory(consultation=c, body=f"more {n}")
    seen = []
    url = f"/api/v1/consultations/{c.pk}/comments/?page_size=3"
    while url:
        data = client.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    public = Comment.objects.filter(
        consultation=c, parent__isnull=True, status__in=["visible", "hidden", "removed"]
    )
    assert sorted(seen) == sorted(public.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_comments_by_section_and_unknown_section(world, client):
    c = world.consultations["open"]
    section = world.sections[0]
    f.CommentFactory(consultation=c, section=section, body="on the article")
    data = _get(client, f"/api/v1/consultations/{c.pk}/comments/", section="article-1")
    assert [row["body"] for row in data["results"]] == ["on the article"]
    response = client.get(
        f"/api/v1/consultations/{c.pk}/comments/", {"section": "nowhere"}
    )
    assert response.status_code == 404


def test_list_pages_follow_the_cursor(world, client):
    for _ in range(4):
        f.consultation_in("open", department=world.department)
    seen, url = [], "/api/v1/consultations/?page_size=2"
    while url:
        data = client.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == 9


def test_surveys_results_only_when_published(world, client):
    data = _get(client, "/api/v1/surveys/")
    ids = {row["id"] for row in data["results"]}
    assert world.surveys["published"].pk in ids
    assert world.surveys["draft"].pk not in ids
    results = _get(client, f"/api/v1/surveys/{world.surveys['published'].pk}/results/")
    assert results["questions"][0]["kind"] == "single"
    assert [b["label"] for b in results["questions"][0]["bars"]] == ["是 Yes", "否 No"]
    unpublished = world.surveys["unpublished"].pk
    assert client.get(f"/api/v1/surveys/{unpublished}/results/").status_code == 404
    assert client.get(f"/api/v1/surveys/{unpublished}/").status_code == 200
    draft = world.surveys["draft"].pk
    assert client.get(f"/api/v1/surveys/{draft}/").status_code == 404


def test_hearings_and_their_record(world, client):
    upcoming = _get(client, "/api/v1/hearings/")
    assert [h["id"] for h in upcoming["results"]] == [world.hearings["upcoming"].pk]
    past = _get(client, "/api/v1/hearings/", when="past")
    assert {h["id"] for h in past["results"]} == {
        world.hearings["record"].pk,
        world.hearings["unpublished"].pk,
    }
    record = _get(client, f"/api/v1/hearings/{world.hearings['record'].pk}/")
    assert record["record"]["minutes"] == "会议纪要 Minutes"
    assert [t["body"] for t in record["testimonies"]] == ["公开的书面意见"]
    unpublished = _get(client, f"/api/v1/hearings/{world.hearings['unpublished'].pk}/")
    assert unpublished["record"] is None and unpublished["testimonies"] == []
    draft = world.hearings["draft"].pk
    assert client.get(f"/api/v1/hearings/{draft}/").status_code == 404


def test_demands_with_updates_and_source_counts(world, client):
    data = _get(client, "/api/v1/demands/")
    ids = [row["id"] for row in data["results"]]
    assert ids == [world.demands["assigned"].pk, world.demands["resolved"].pk]
    first = data["results"][0]
    assert first["source_counts"]["suggestion"] == 1
    assert first["source_counts"]["comment"] == 1
    detail = _get(client, f"/api/v1/demands/{world.demands['assigned'].pk}/")
    assert [u["text"] for u in detail["updates"]] == ["已开工 Work has started"]
    data = _get(client, "/api/v1/demands/", status="resolved")
    assert [row["id"] for row in data["results"]] == [world.demands["resolved"].pk]
    data = _get(client, "/api/v1/demands/", area=world.street.code)
    assert len(data["results"]) == 2  # the street and its community


def test_accountability_figures(world, client):
    data = _get(client, "/api/v1/accountability/")
    overall = data["overall"]
    assert overall["received"] == 2
    assert overall["responded"] == 2
    assert overall["resolved"] == 1
    assert overall["median_days_to_response"] == pytest.approx(2, abs=0.01)
    assert overall["median_days_to_resolution"] == pytest.approx(6, abs=0.01)
    [department] = data["departments"]
    assert department["department"]["slug"] == "transport-bureau"
    [district] = data["districts"]
    assert district["area"]["code"] == world.district.code
    assert district["received"] == 2


def test_directory(world, client):
    areas = _get(client, "/api/v1/areas/", parent=world.district.code)
    assert [a["code"] for a in areas["results"]] == [world.street.code]
    assert areas["results"][0]["parent"] == world.district.code
    assert _get(client, f"/api/v1/areas/{world.community.code}/")["level"] == 4
    departments = _get(client, "/api/v1/departments/")
    assert departments["results"][0]["topics"] == ["transport"]
    assert _get(client, "/api/v1/topics/")["results"][0]["slug"] == "transport"


def test_etag_and_conditional_get(world, client):
    path = "/api/v1/consultations/"
    first = client.get(path)
    etag = first["ETag"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    f.consultation_in("open", department=world.department)
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200


def test_detail_has_last_modified(world, client):
    c = world.consultations["open"]
    response = client.get(f"/api/v1/consultations/{c.pk}/")
    stamp = response["Last-Modified"]
    again = client.get(
        f"/api/v1/consultations/{c.pk}/", headers={"if-modified-since": stamp}
    )
    assert again.status_code == 304


def test_cors_for_reads_only(world, client):
    response = client.get(
        "/api/v1/topics/", headers={"origin": "https://journalist.example"}
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/topics/",
        headers={
            "origin": "https://journalist.example",
            "access-control-request-method": "POST",
        },
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = client.get("/consultations/", headers={"origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in page


def test_writes_are_refused(world, client):
    assert client.post("/api/v1/consultations/", {}).status_code == 405
    c = world.consultations["open"]
    assert client.delete(f"/api/v1/consultations/{c.pk}/").status_code == 405


def test_anonymous_clients_are_throttled(world, client, settings):
    settings.API_ANON_THROTTLE_RATE = "3/min"
    codes = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/open311/v2/services.json").status_code == 429


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/consultations/",
        "/api/v1/surveys/",
        "/api/v1/hearings/",
        "/api/v1/demands/",
        "/api/v1/areas/",
        "/api/v1/departments/",
        "/api/v1/topics/",
        "/api/v1/accountability/",
        "comments",
    ],
)
def test_list_query_counts_do_not_grow(
    world, client, path, django_assert_max_num_queries
):
    c = world.consultations["open"]
    for n in range(15):
        f.consultation_in("open", department=world.department, topics=[world.topic])
        f.ReplyFactory(parent=f.CommentFactory(consultation=c, body=f"c{n}"))
    if path == "comments":
        path = f"/api/v1/consultations/{c.pk}/comments/"
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


def test_schema_and_docs_page(world, client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/consultations/{id}/comments/" in schema["paths"]
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert b"swagger-ui-bundle.js" in page.content
    assert b"<script>" not in page.content  # no inline script under the CSP


def test_responses_are_reused_briefly_and_throttled_all_the_same(
    world, client, settings, django_assert_num_queries
):
    settings.API_CACHE_SECONDS = 10
    first = client.get("/api/v1/consultations/")
    assert first["Cache-Control"] == "public, max-age=10"
    with django_assert_num_queries(0):
        again = client.get("/api/v1/consultations/")
    assert again.content == first.content
    assert client.get("/api/v1/consultations/", {"status": "open"}).json() != (
        first.json()
    )
    settings.API_ANON_THROTTLE_RATE = "1/min"
    client.get("/api/v1/consultations/")
    assert client.get("/api/v1/consultations/").status_code == 429


def test_comment_changes_reach_the_cached_comment_list_at_once(world, client, settings):
    settings.API_CACHE_SECONDS = 10
    c = world.consultations["open"]
    path = f"/api/v1/consultations/{c.pk}/comments/"
    before = client.get(path).json()
    visible = world.comments["visible"]
    visible.status = Comment.Status.HIDDEN
    visible.save()
    # What the moderation and comment services call on every change.
    consultation_selectors.comment_counts_forget(consultation_id=c.pk)
    after = client.get(path).json()
    assert after != before
    assert visible.pk in {r["id"] for r in after["results"] if r["status"] == "hidden"}


def test_dumps_are_shared_across_origins_but_not_the_keys_page(world, client):
    origin = {"origin": "https://journalist.example"}
    assert client.get("/data/", headers=origin)["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get(
        "/data/keys/", headers=origin
    )
