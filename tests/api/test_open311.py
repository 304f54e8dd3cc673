"""Open311 GeoReport v2: every service request has the specification's
fields, statuses and date formats, in JSON and XML; POST with an API key
raises a suggestion through the suggestion service."""

import re
import uuid
from xml.etree import ElementTree as ET

import pytest

from api import services as api_services
from api.open311.formats import REQUEST_FIELDS, SERVICE_FIELDS
from demands.models import Demand, Suggestion
from tests import factories as f

pytestmark = pytest.mark.django_db

ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
DATES = ("requested_datetime", "updated_datetime", "expected_datetime")
# Required in every GeoReport v2 request document (the others may be empty).
REQUIRED = ("service_request_id", "status", "requested_datetime")


def _xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 - the site's own response


def _check_request(request: dict):
    assert tuple(request) == REQUEST_FIELDS
    for name in REQUIRED:
        assert request[name], name
    assert request["status"] in ("open", "closed")
    assert re.fullmatch(r"[DS]\d+", request["service_request_id"])
    for name in DATES:
        value = request[name]
        assert value in (None, "") or ISO_8601.match(value), (name, value)


def _xml_requests(content: bytes) -> list[dict]:
    root = _xml(content)
    assert root.tag == "service_requests"
    rows = []
    for element in root:
        assert element.tag == "request"
        rows.append({child.tag: (child.text or None) for child in element})
    return rows


def test_requests_json_and_xml_follow_the_field_list(world, client):
    as_json = client.get("/open311/v2/requests.json").json()
    assert len(as_json) == 3  # two listed demands and one visible suggestion
    for request in as_json:
        _check_request(request)
    response = client.get("/open311/v2/requests.xml")
    assert response["Content-Type"].startswith("text/xml")
    as_xml = _xml_requests(response.content)
    for request in as_xml:
        _check_request(request)
    assert [r["service_request_id"] for r in as_xml] == [
        r["service_request_id"] for r in as_json
    ]


def test_statuses_and_notes(world, client):
    rows = {
        r["service_request_id"]: r
        for r in client.get("/open311/v2/requests.json").json()
    }
    assigned = rows[f"D{world.demands['assigned'].pk}"]
    assert assigned["status"] == "open"
    assert assigned["status_notes"] == "已开工 Work has started"
    assert assigned["agency_responsible"] == "交通局"
    assert assigned["service_code"] == "transport"
    assert rows[f"D{world.demands['resolved'].pk}"]["status"] == "closed"
    closed = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [
        f"D{world.demands['resolved'].pk}"
    ]


def test_filters_by_service_code_and_dates(world, client):
    other = f.TopicFactory(slug="water")
    assert (
        client.get("/open311/v2/requests.json", {"service_code": "water"}).json() == []
    )
    rows = client.get(
        "/open311/v2/requests.json",
        {"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-12-31T00:00:00+08:00"},
    ).json()
    assert rows == []
    rows = client.get(
        "/open311/v2/requests.json", {"start_date": "2000-01-01T00:00:00+08:00"}
    ).json()
    assert len(rows) == 3
    assert other.slug not in {r["service_code"] for r in rows}


@pytest.mark.parametrize(
    "params",
    [{"status": "pending"}, {"start_date": "last week"}, {"end_date": "2026-13-45"}],
)
def test_bad_parameters_are_open311_errors(world, client, params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and error["description"]
    xml = client.get("/open311/v2/requests.xml", params)
    root = _xml(xml.content)
    assert root.tag == "errors" and root[0].find("code").text == "400"


def test_single_request_and_unknown_ones(world, client):
    demand = world.demands["assigned"]
    [request] = client.get(f"/open311/v2/requests/D{demand.pk}.json").json()
    _check_request(request)
    [request] = _xml_requests(
        client.get(f"/open311/v2/requests/D{demand.pk}.xml").content
    )
    _check_request(request)
    merged = world.demands["merged"]
    [request] = client.get(f"/open311/v2/requests/D{merged.pk}.json").json()
    assert request["status"] == "closed"
    for missing in ("D999999", "X1", "S", "D1.5"):
        response = client.get(f"/open311/v2/requests/{missing}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404
    assert client.get(f"/open311/v2/requests/D{demand.pk}.yaml").status_code == 404


def test_services_and_discovery(world, client):
    services = client.get("/open311/v2/services.json").json()
    assert [s["service_code"] for s in services] == ["transport"]
    assert tuple(services[0]) == SERVICE_FIELDS
    assert services[0]["type"] in ("realtime", "batch", "blackbox")
    root = _xml(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services" and root[0].find("service_code").text == "transport"
    discovery = client.get("/open311/v2/discovery.json").json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def _post(client, fmt="json", **data):
    return client.post(f"/open311/v2/requests.{fmt}", data, **data.pop("_extra", {}))


def test_post_with_a_key_raises_a_suggestion(world, client):
    resident = world.residents[1]
    _key, raw = api_services.api_key_create(user=resident, name="app")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw,
            "service_code": "transport",
            "description": "公交站没有遮雨棚。\nThe bus stop has no shelter.",
            "address_id": world.street.code,
            "email": "ignored@example.com",
        },
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    suggestion = Suggestion.objects.get(pk=int(created["service_request_id"][1:]))
    assert suggestion.author == resident
    assert suggestion.title == "公交站没有遮雨棚。"
    assert suggestion.area == world.street and suggestion.topic == world.topic
    [shown] = client.get(
        f"/open311/v2/requests/{created['service_request_id']}.json"
    ).json()
    assert shown["description"].startswith("公交站没有遮雨棚。")


def test_post_is_idempotent_with_a_key_header(world, client):
    _key, raw = api_services.api_key_create(user=world.residents[1], name="app")
    data = {"api_key": raw, "service_code": "transport", "description": "同一条"}
    key = str(uuid.uuid4())
    first = client.post(
        "/open311/v2/requests.json", data, headers={"idempotency-key": key}
    )
    again = client.post(
        "/open311/v2/requests.json", data, headers={"idempotency-key": key}
    )
    assert first.json() == again.json()
    assert Suggestion.objects.filter(body="同一条").count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"api_key": "wrong", "service_code": "transport", "description": "x"}, 403),
        ({"service_code": "transport", "description": "x"}, 403),
        ({"service_code": "nothing", "description": "x"}, 400),
        ({"service_code": "transport", "description": ""}, 400),
        ({"service_code": "transport", "description": "x", "address_id": "1"}, 400),
    ],
)
def test_post_errors_store_nothing(world, client, data, code):
    _key, raw = api_services.api_key_create(user=world.residents[1], name="app")
    data = {"api_key": raw, **data} if "api_key" not in data and code != 403 else data
    before = Suggestion.objects.count()
    for fmt in ("json", "xml"):
        response = client.post(f"/open311/v2/requests.{fmt}", data)
        assert response.status_code == code
        if fmt == "json":
            [error] = response.json()
            assert error["code"] == code and error["description"]
        else:
            assert _xml(response.content).tag == "errors"
    assert Suggestion.objects.count() == before


def test_revoked_key_and_unverified_owner_are_refused(world, client):
    key, raw = api_services.api_key_create(user=world.residents[1], name="app")
    api_services.api_key_revoke(user=world.residents[1], key=key)
    data = {"api_key": raw, "service_code": "transport", "description": "x"}
    assert client.post("/open311/v2/requests.json", data).status_code == 403
    unverified = f.UserFactory(verified=False)
    _key, raw = api_services.api_key_create(user=unverified, name="app")
    data["api_key"] = raw
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 403
    assert Suggestion.objects.filter(author=unverified).count() == 0


def test_held_suggestion_says_so_and_stays_private(world, client):
    _key, raw = api_services.api_key_create(user=world.residents[1], name="app")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw,
            "service_code": "transport",
            "description": "看看 https://spam.example/ 和 https://spam.example/2",
        },
    )
    assert response.status_code == 201
    [created] = response.json()
    suggestion = Suggestion.objects.get(pk=int(created["service_request_id"][1:]))
    # A new account's links wait for a moderator, as on the web form.
    assert suggestion.status == Suggestion.Status.PENDING
    assert created["service_notice"]
    shown = client.get(f"/open311/v2/requests/{created['service_request_id']}.json")
    assert shown.status_code == 404


def test_demand_without_topic_or_area_has_empty_fields(world, client):
    demand = Demand.objects.create(
        title="无主题", created_at=world.demands["assigned"].created_at
    )
    [request] = client.get(f"/open311/v2/requests/D{demand.pk}.json").json()
    _check_request(request)
    assert request["service_code"] is None and request["address_id"] is None
