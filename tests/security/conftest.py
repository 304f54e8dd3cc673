import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """These tests read the English source strings of messages raised
    outside a request (the site's default language is Chinese)."""
    with translation.override("en"):
        yield
