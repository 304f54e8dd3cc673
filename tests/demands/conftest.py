"""Set-up shared by the demands tests."""

import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Services speak the active language; tests that read the English
    source strings of messages use this."""
    with translation.override("en"):
        yield
