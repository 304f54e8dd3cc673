"""Residents make and revoke their own API keys; only a hash is kept."""

import pytest

from api import services
from api.models import ApiKey
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_visitor_is_sent_to_log_in(client):
    response = client.get("/data/keys/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resident_makes_a_key_shown_once(client, django_assert_max_num_queries):
    resident = f.UserFactory()
    client.force_login(resident)
    response = client.post("/data/keys/", {"name": "我的应用"})
    assert response.status_code == 200
    raw = response.context["new_key"]
    assert raw and raw.encode() in response.content
    key = ApiKey.objects.get(user=resident)
    assert key.key_hash == services.key_digest(raw) and raw not in key.key_hash
    assert services.api_key_authenticate(raw=raw) == resident
    with django_assert_max_num_queries(8):
        page = client.get("/data/keys/")
    assert raw.encode() not in page.content
    assert key.prefix.encode() in page.content


def test_empty_name_is_refused_with_a_message(client):
    client.force_login(f.UserFactory())
    response = client.post("/data/keys/", {"name": "  "})
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert not ApiKey.objects.exists()


def test_at_most_five_active_keys(client):
    resident = f.UserFactory()
    client.force_login(resident)
    for n in range(5):
        services.api_key_create(user=resident, name=f"k{n}")
    response = client.post("/data/keys/", {"name": "one more"})
    assert response.status_code == 400
    assert ApiKey.objects.filter(user=resident).count() == 5


def test_owner_revokes_and_others_cannot(client):
    owner, other = f.UserFactory(), f.UserFactory()
    key, raw = services.api_key_create(user=owner, name="app")
    client.force_login(other)
    assert client.post(f"/data/keys/{key.pk}/revoke/").status_code == 404
    client.force_login(owner)
    response = client.post(f"/data/keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert services.api_key_authenticate(raw=raw) is None
    assert client.get(f"/data/keys/{key.pk}/revoke/").status_code == 405


def test_administrator_makes_a_key_for_an_account(client):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    f.enroll_totp(admin)
    owner = f.UserFactory()
    client.force_login(admin)
    response = client.post(
        "/admin/api/apikey/add/", {"user": owner.pk, "name": "city system"}
    )
    key = ApiKey.objects.get(user=owner)
    assert response.status_code in (200, 302)
    assert key.name == "city system" and len(key.key_hash) == 64
