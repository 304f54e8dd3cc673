"""Run Django in a child process with its own environment: the way to see
what the real settings do when a server is unreachable or a variable is
missing, without mocking anything."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
CLOSED_PORT_DATABASE_URL = "postgres://postgres@127.0.0.1:1/none"
CLOSED_PORT_BROKER_URL = "redis://127.0.0.1:1/0"

# Prepended to the child's code: Django set up as the test runner does
# (the test client's host is allowed, mail stays in memory).
SETUP = """\
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
"""


def current_database_url() -> str:
    """The URL of the database the current test uses."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    socket_dir = settings.get("OPTIONS", {}).get("host")
    if not settings["HOST"] and socket_dir:
        return f"postgres://{credentials}/{settings['NAME']}?host={socket_dir}"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}{settings['HOST']}{port}/{settings['NAME']}"


def run(args: list[str], *, timeout: int = 120, **env: str | None):
    """Run ``args`` in the project folder with the environment changed by
    ``env`` (``None`` removes a variable)."""
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    # The browser tests' relaxation is not part of the settings under test.
    child_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name, value in env.items():
        if value is None:
            child_env.pop(name, None)
        else:
            child_env[name] = value
    return subprocess.run(  # noqa: S603
        args,
        cwd=BASE_DIR,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_django(code: str, **env: str | None):
    """Run ``code`` in a fresh Python with Django set up."""
    return run([sys.executable, "-c", SETUP + code], **env)


def manage(*args: str, **env: str | None):
    return run([sys.executable, "manage.py", *args], **env)
