"""Set-up shared by the hearing tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Factories set a password on every user; the production hasher is
    slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Tests read the English source strings of messages."""
    with translation.override("en"):
        yield
