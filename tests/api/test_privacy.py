"""Every public endpoint, feed and dump is scanned for what must never
leave the site: content hidden by moderation, unpublished work, email
addresses, phone numbers and private fields."""

import json
import re

import pytest

from accounts.models import User
from api import exports
from tests.api.conftest import PHONE, SECRET

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_NUMBER = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
PRIVATE_KEYS = {
    "email",
    "user",
    "user_id",
    "author_id",
    "author",
    "ip",
    "home_area",
    "password",
    "idempotency_key",
    "form_key",
    "key_hash",
    "author_area",
    "author_district",
}


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _paths(world) -> list[str]:
    c = world.consultations
    paths = [
        "/api/v1/",
        "/api/v1/consultations/",
        "/api/v1/surveys/",
        "/api/v1/hearings/",
        "/api/v1/hearings/?when=past",
        "/api/v1/demands/",
        "/api/v1/accountability/",
        "/api/v1/areas/",
        "/api/v1/departments/",
        "/api/v1/topics/",
        "/open311/v2/discovery.json",
        "/open311/v2/services.json",
        "/open311/v2/services.xml",
        "/feeds/consultations/",
        f"/feeds/consultations/area/{world.district.code}/",
        "/feeds/consultations/topic/transport/",
        "/feeds/consultations/department/transport-bureau/",
        "/feeds/outcomes/",
        "/feeds/demands/",
        "/hearings/calendar.ics",
    ]
    for consultation in c.values():
        paths += [
            f"/api/v1/consultations/{consultation.pk}/",
            f"/api/v1/consultations/{consultation.pk}/comments/",
            f"/api/v1/consultations/{consultation.pk}/comments/?sort=supported",
        ]
    for survey in world.surveys.values():
        paths += [
            f"/api/v1/surveys/{survey.pk}/",
            f"/api/v1/surveys/{survey.pk}/results/",
        ]
    for hearing in world.hearings.values():
        paths += [
            f"/api/v1/hearings/{hearing.pk}/",
            f"/hearings/{hearing.pk}/calendar.ics",
        ]
    for demand in world.demands.values():
        paths.append(f"/api/v1/demands/{demand.pk}/")
        for fmt in ("json", "xml"):
            paths.append(f"/open311/v2/requests/D{demand.pk}.{fmt}")
    for suggestion in world.suggestions.values():
        for fmt in ("json", "xml"):
            paths.append(f"/open311/v2/requests/S{suggestion.pk}.{fmt}")
    for fmt in ("json", "xml"):
        paths.append(f"/open311/v2/requests.{fmt}")
        paths.append(f"/open311/v2/requests.{fmt}?status=open")
        paths.append(f"/open311/v2/requests.{fmt}?status=closed")
    return paths


def _assert_clean(where: str, text: str):
    assert SECRET not in text, where
    assert PHONE not in text, where
    assert not EMAIL.search(text), (where, EMAIL.search(text))
    assert not PHONE_NUMBER.search(text), (where, PHONE_NUMBER.search(text))
    for user in User.objects.all():
        assert user.email not in text, where


def test_no_endpoint_leaks_hidden_content_or_personal_data(world, client):
    checked = 0
    for path in _paths(world):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        text = response.content.decode()
        _assert_clean(path, text)
        if response["Content-Type"].startswith("application/json"):
            leaked = PRIVATE_KEYS & set(_keys(json.loads(text)))
            assert not leaked, (path, leaked)
        checked += response.status_code == 200
    assert checked > 50


def test_hidden_and_unpublished_things_are_not_found(world, client):
    for path in (
        f"/api/v1/consultations/{world.consultations['draft'].pk}/",
        f"/api/v1/surveys/{world.surveys['draft'].pk}/",
        f"/api/v1/surveys/{world.surveys['unpublished'].pk}/results/",
        f"/api/v1/hearings/{world.hearings['draft'].pk}/",
        f"/open311/v2/requests/S{world.suggestions['held'].pk}.json",
        f"/open311/v2/requests/S{world.suggestions['hidden'].pk}.json",
    ):
        assert client.get(path).status_code == 404, path


def test_bulk_dumps_leak_nothing(world, tmp_path):
    exports.open_data_dump(directory=tmp_path)
    files = sorted(p for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert len(files) == 2 * len(exports.DATASETS) + 1
    for path in files:
        text = path.read_text(encoding="utf-8")
        _assert_clean(path.name, text)
        if path.suffix == ".json" and path.name != "manifest.json":
            leaked = PRIVATE_KEYS & set(_keys(json.loads(text)))
            assert not leaked, (path.name, leaked)


def test_suggestion_place_is_given_to_the_street_only(world, client):
    """The visible suggestion was made in a community; Open311 names its
    street."""
    suggestion = world.suggestions["visible"]
    [request] = client.get(f"/open311/v2/requests/S{suggestion.pk}.json").json()
    assert request["address_id"] == world.street.code
