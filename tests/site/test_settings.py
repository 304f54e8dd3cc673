"""Production settings: safe by default, and Django's deployment checks
pass without a warning."""

import secrets
import string

import pytest

from tests.processes import current_database_url, manage, run_django


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


@pytest.mark.django_db
def test_deploy_check_passes_without_warnings_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="minyi.example",
        DATABASE_URL=current_database_url(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_settings_refuse_to_load_without_secret_key_in_production():
    result = run_django("print('loaded')", DEBUG="0", SECRET_KEY=None)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "loaded" not in result.stdout


def test_debug_is_off_unless_the_environment_turns_it_on():
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG)",
        DEBUG=None,
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="minyi.example",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/none",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_script_or_style(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
