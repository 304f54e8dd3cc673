"""Rate limits on cheap abuse, kept in the cache (never in the database,
so no stored row holds a network address)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

SUBMISSIONS_PER_HOUR = 30
WINDOW_SECONDS = 3600


def _client_key(request, survey) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()
    return f"surveys:submit:{survey.pk}:{digest[:32]}"


def allow_submission(request, survey) -> bool:
    """Anonymous surveys take at most ``SUBMISSIONS_PER_HOUR`` responses
    from one network address per survey and hour."""
    if survey.is_verified_mode:
        return True
    key = _client_key(request, survey)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= SUBMISSIONS_PER_HOUR
