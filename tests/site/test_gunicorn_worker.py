"""The production web server's worker (config/gunicorn_worker.py), run for
real: gunicorn with config/gunicorn.py, answering on a kept-alive
connection until it recycles it."""

import http.client
import os

import pytest

from bench import run

RECYCLE_AFTER = 5


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "GUNICORN_REQUESTS_PER_CONNECTION": str(RECYCLE_AFTER),
        "LOG_LEVEL": "WARNING",
    }
    port = run.free_port()
    with run.Gunicorn(env, port, 1, tmp_path / "gunicorn.log", threads=2) as server:
        yield server


def test_a_kept_alive_connection_is_closed_cleanly_after_its_share(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    answers = []
    for _ in range(RECYCLE_AFTER):
        connection.request("GET", "/about/")
        response = connection.getresponse()
        response.read()
        answers.append((response.status, response.getheader("Connection")))
    connection.close()

    assert [status for status, _ in answers] == [200] * RECYCLE_AFTER
    # Kept alive until the last answer, which tells the client to reconnect.
    assert [header for _, header in answers[:-1]] == ["keep-alive"] * (
        RECYCLE_AFTER - 1
    )
    assert answers[-1][1] == "close"


def test_the_next_request_after_recycling_is_served_on_a_new_connection(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    statuses = []
    for _ in range(RECYCLE_AFTER * 2 + 1):
        connection.request("GET", "/about/")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()

    assert statuses == [200] * (RECYCLE_AFTER * 2 + 1)
