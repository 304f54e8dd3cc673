"""/healthz: the status of the database and the broker, for load balancers
and monitoring. Unreachable servers are real closed ports, not mocks."""

import json

import pytest

from tests.processes import (
    CLOSED_PORT_BROKER_URL,
    CLOSED_PORT_DATABASE_URL,
    current_database_url,
    run_django,
)

GET_HEALTHZ = """
from django.test import Client
response = Client().get("/healthz")
print(response.status_code)
print(response.content.decode())
"""


def healthz_in_child(**env):
    result = run_django(GET_HEALTHZ, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_returns_503_when_the_database_is_unreachable():
    status, body = healthz_in_child(DATABASE_URL=CLOSED_PORT_DATABASE_URL)

    assert status == 503
    assert body["database"] == "unavailable"
    assert body["status"] == "down"


@pytest.mark.django_db
def test_healthz_reports_degraded_when_the_broker_is_unreachable():
    status, body = healthz_in_child(
        DATABASE_URL=current_database_url(), CELERY_BROKER_URL=CLOSED_PORT_BROKER_URL
    )

    assert status == 200
    assert body == {"status": "degraded", "database": "ok", "broker": "unavailable"}
