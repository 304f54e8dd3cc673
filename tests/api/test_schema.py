"""schemathesis against the API's own OpenAPI schema: a bounded number of
generated requests per endpoint, valid and invalid, with no server error
and every response as the schema describes it.

The schema is generated at collection (no database needed) and each
endpoint's test runs against the WSGI application in-process, on the
seeded world (schemathesis's lazy fixture loader does not run under this
pytest)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

EXAMPLES_PER_ENDPOINT = 30

schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True)
)
schema.app = application


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Requests through the WSGI application close the database connection
    when they finish; the test's transaction needs it open (as Django's
    test client arranges)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_ENDPOINT,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, world):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
            status_code_conformance,
        ]
    )
