"""Shared test set-up: Celery mode, a real worker, and browser settings."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from config.celery import app as celery_app

# Playwright's sync API runs an event loop in the test thread; the test
# body still talks to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Test runs side by side share the broker (and purge it): each run sends to
# and consumes from a queue of its own, so none takes another's tasks.
celery_app.conf.task_default_queue = f"minyi-test-{os.getpid()}"


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in-process unless the test asks for the real worker."""
    eager = "real_worker" not in request.keywords
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A deliberately slow hash protects real accounts; here it would only
    slow every account a test creates."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached state start empty per test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread consuming from the configured broker."""
    # Messages left by an earlier, interrupted run must not leak in.
    celery_app.control.purge()
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        loglevel="WARNING",
    ) as worker:
        yield worker


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
