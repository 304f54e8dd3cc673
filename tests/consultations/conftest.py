"""Set-up shared by the consultation tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Factories set a password on every user; the production hasher is
    slow on purpose and would dominate these tests' run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Services speak the active language; tests that read the English
    source strings of messages use this."""
    with translation.override("en"):
        yield
