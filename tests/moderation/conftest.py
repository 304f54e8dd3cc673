import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Tests that read the English source strings of messages use this."""
    with translation.override("en"):
        yield
