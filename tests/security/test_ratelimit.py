"""The shared rate-limit helper: per account, per address, across
processes, with a clear refusal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import translation

from config import ratelimit
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def test_limits_read_from_the_setting_over_the_defaults(settings):
    settings.RATE_LIMITS = "comment=3/30, comment:ip=0/60"

    table = ratelimit.limits()

    assert table["comment"] == (3, 30)
    assert table["comment:ip"] == (0, 60)
    assert table["reply"] == ratelimit.DEFAULTS["reply"]


def test_unreadable_setting_is_an_error(settings):
    settings.RATE_LIMITS = "comment=lots"

    with pytest.raises(ValueError, match="RATE_LIMITS"):
        ratelimit.limits()


@pytest.mark.django_db
def test_account_over_its_limit_is_refused_with_the_wait(settings):
    settings.RATE_LIMITS = "comment=2/60"
    user = UserFactory()

    ratelimit.hit_for("comment", user=user)
    ratelimit.hit_for("comment", user=user)
    with pytest.raises(ratelimit.RateLimited) as refusal:
        ratelimit.hit_for("comment", user=user)

    assert 1 <= refusal.value.retry_after <= 60
    with translation.override("en"):
        assert "Too many comments" in refusal.value.message
        assert f"try again in {refusal.value.retry_after} second" in (
            refusal.value.message
        )
    with translation.override("zh-hans"):
        assert refusal.value.message


@pytest.mark.django_db
def test_accounts_are_counted_apart(settings):
    settings.RATE_LIMITS = "comment=1/60"

    ratelimit.hit_for("comment", user=UserFactory())
    ratelimit.hit_for("comment", user=UserFactory())


@pytest.mark.django_db
def test_an_address_is_limited_across_accounts(settings):
    settings.RATE_LIMITS = "comment=10/60,comment:ip=2/60"

    ratelimit.hit_for("comment", user=UserFactory(), ip="203.0.113.9")
    ratelimit.hit_for("comment", user=UserFactory(), ip="203.0.113.9")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit_for("comment", user=UserFactory(), ip="203.0.113.9")
    ratelimit.hit_for("comment", user=UserFactory(), ip="203.0.113.10")


@pytest.mark.django_db
def test_scopes_are_counted_apart(settings):
    settings.RATE_LIMITS = "survey_answer:ip=1/60"

    ratelimit.hit_for("survey_answer", ip="203.0.113.9", scope=1)
    ratelimit.hit_for("survey_answer", ip="203.0.113.9", scope=2)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit_for("survey_answer", ip="203.0.113.9", scope=1)


@pytest.mark.django_db
def test_counters_live_in_postgresql_without_the_address(settings):
    settings.RATE_LIMIT_STORE = "database"
    ratelimit.hit_for("report", user=UserFactory(), ip="198.51.100.7")

    with connection.cursor() as cursor:
        cursor.execute("SELECT key, hits FROM moderation_ratecounter")
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [ratelimit.TABLE],
        )
        persistence = cursor.fetchone()[0]

    assert len(rows) == 2
    assert all(hits == 1 for _key, hits in rows)
    assert not any("198.51.100.7" in key for key, _hits in rows)
    assert persistence == "u"  # UNLOGGED


@pytest.mark.django_db
def test_the_cache_store_counts_too(settings):
    settings.RATE_LIMIT_STORE = "cache"
    settings.RATE_LIMITS = "question=1/60"
    user = UserFactory()

    ratelimit.hit_for("question", user=user)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit_for("question", user=user)


def test_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.1",
    )

    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.0.0.2"
    settings.RATE_LIMIT_PROXY_COUNT = 2
    assert ratelimit.client_ip(request) == "203.0.113.5"


@pytest.mark.django_db
def test_expired_windows_are_pruned():
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ratelimit.TABLE} (key, hits, expires_at) VALUES "  # noqa: S608
            "('old', 3, now() - interval '1 hour'),"
            " ('new', 1, now() + interval '1 minute')"
        )

    assert ratelimit.prune() == 1


@pytest.mark.django_db(transaction=True)
def test_another_process_shares_the_limit(settings):
    """Hits counted by a separate Python process (another web worker)
    count against the same account here."""
    settings.RATE_LIMIT_STORE = "database"
    settings.RATE_LIMITS = "comment=3/86400"
    user = UserFactory()
    db = connection.settings_dict
    # The other process reaches the same server as configured (machine or
    # embedded) and is pointed at this test database before any query.
    script = (
        "import django; django.setup();"
        "from django.db import connection;"
        f"connection.settings_dict['NAME'] = {db['NAME']!r};"
        "from config import ratelimit;"
        "from accounts.models import User;"
        f"u = User.objects.get(pk={user.pk});"
        "[ratelimit.hit_for('comment', user=u) for _ in range(3)]"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "RATE_LIMITS": "comment=3/86400",
        "RATE_LIMIT_STORE": "database",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, check=True, timeout=60
    )

    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit_for("comment", user=user)
