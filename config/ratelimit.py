"""Rate limits on cheap abuse, shared by every web process.

Each action (``comment``, ``reply``, ``question``, ``report``,
``survey_answer``, ``suggestion``, ``metoo``, ``testimony``…) is limited per
account and per network address, in fixed windows: at most N hits per
period of S seconds. The limits come from the ``RATE_LIMITS`` setting (an
environment variable of the same name), ``"action=N/S"`` for the account
limit and ``"action:ip=N/S"`` for the address limit, comma-separated; what
it does not name keeps its default (``DEFAULTS`` below). ``N/S`` of ``0/S``
switches that limit off.

Counters live where every web process sees them: in PostgreSQL (an
UNLOGGED table, one atomic upsert per hit for all its counters), or in the
cache when ``RATE_LIMIT_STORE`` is ``"cache"`` (a Redis or Memcached
``CACHE_URL``: ``incr`` is atomic there). ``"auto"``, the default, takes the
cache when it is shared and the database when it is per process (locmem).
Network addresses are never stored: counters are keyed by a keyed hash.
Behind a proxy, ``RATE_LIMIT_PROXY_COUNT`` says how many trusted proxies
append to X-Forwarded-For.

Use, in a view, before calling the service::

    from config import ratelimit

    try:
        ratelimit.hit(request, "suggestion")
    except ratelimit.RateLimited as refusal:
        form.add_error(None, refusal.message)   # "Too many … try again in N s"
        return render(request, ..., status=429)

or, for a plain POST view (a button, no form to redisplay)::

    @require_POST
    @ratelimit.limit("metoo")
    def metoo(request, pk): ...        # refused: the 429 page, nothing stored

``ratelimit.hit(request, action, scope=...)`` adds a scope to the key (e.g.
a survey's id: the limit then holds per survey). ``ratelimit.hit_for(
action, user=..., ip=...)`` is the same without a request (a service).
Every hit counts, refused or not; a refusal raises before anything is
stored, so the caller stores nothing.
"""

import functools
import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

TABLE = "moderation_ratecounter"

# Per account / per network address: (hits, seconds). A network address can
# hide many people (carrier-grade NAT, an office), so its limits are wider.
DEFAULTS: dict[str, tuple[int, int]] = {
    "comment": (10, 60),
    "comment:ip": (100, 60),
    "reply": (20, 60),
    "reply:ip": (200, 60),
    "question": (5, 60),
    "question:ip": (50, 60),
    "report": (20, 3600),
    "report:ip": (200, 3600),
    "survey_answer": (10, 60),
    # Anonymous surveys: per survey and address (scope=survey id).
    "survey_answer:ip": (30, 3600),
    "testimony": (5, 3600),
    "testimony:ip": (50, 3600),
    "suggestion": (5, 3600),
    "suggestion:ip": (50, 3600),
    "metoo": (60, 3600),
    "metoo:ip": (600, 3600),
}

# What the refusal calls the things being sent (plural).
THINGS = {
    "comment": _("comments"),
    "reply": _("replies"),
    "question": _("questions"),
    "report": _("reports"),
    "survey_answer": _("survey answers"),
    "testimony": _("testimonies"),
    "suggestion": _("suggestions"),
    "metoo": _("“me too” supports"),
}


class RateLimited(Exception):
    """Refused: ``retry_after`` seconds until the window ends."""

    def __init__(self, action: str, retry_after: int):
        self.action = action
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"{action}: retry after {self.retry_after}s")

    @property
    def message(self) -> str:
        things = THINGS.get(self.action, _("posts"))
        return ngettext(
            "Too many %(things)s from you in a short time. Please try again "
            "in %(n)d second.",
            "Too many %(things)s from you in a short time. Please try again "
            "in %(n)d seconds.",
            self.retry_after,
        ) % {"things": things, "n": self.retry_after}


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    period: int


@functools.lru_cache(maxsize=16)
def _parse(spec: str) -> dict[str, tuple[int, int]]:
    limits = dict(DEFAULTS)
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        name, _sep, rate = part.partition("=")
        hits, _sep, seconds = rate.partition("/")
        try:
            limits[name.strip()] = (int(hits), max(1, int(seconds)))
        except ValueError:
            raise ValueError(f"RATE_LIMITS: cannot read {part!r}") from None
    return limits


def limits() -> dict[str, tuple[int, int]]:
    """Every action's limits: the defaults with ``RATE_LIMITS`` over them."""
    return _parse(getattr(settings, "RATE_LIMITS", "") or "")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with ``RATE_LIMIT_PROXY_COUNT``
    trusted proxies in front, the address the outermost of them saw."""
    proxies = int(getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0) or 0)
    if proxies:
        chain = [
            a.strip()
            for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if a.strip()
        ]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _digest(value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()[:32]


def _counters(action: str, user_id, ip: str, scope) -> list[Counter]:
    table = limits()
    suffix = f":{scope}" if scope not in (None, "") else ""
    counters = []
    if user_id is not None and action in table:
        hits, period = table[action]
        if hits > 0:
            counters.append(Counter(f"{action}{suffix}:u:{user_id}", hits, period))
    if ip and f"{action}:ip" in table:
        hits, period = table[f"{action}:ip"]
        if hits > 0:
            counters.append(Counter(f"{action}{suffix}:ip:{_digest(ip)}", hits, period))
    return counters


def _store() -> str:
    store = getattr(settings, "RATE_LIMIT_STORE", "auto") or "auto"
    if store != "auto":
        return store
    backend = settings.CACHES["default"]["BACKEND"]
    local = ("LocMemCache", "DummyCache", "FileBasedCache")
    return "database" if backend.endswith(local) else "cache"


def _count_in_database(counters: list[Counter], now: float) -> list[int]:
    """One statement: every counter's window row incremented atomically."""
    rows, params = [], []
    for counter in counters:
        window = math.floor(now / counter.period)
        rows.append("(%s, 1, to_timestamp(%s))")
        params += [f"{counter.key}:{window}", (window + 1) * counter.period]
    sql = (
        f"INSERT INTO {TABLE} (key, hits, expires_at) VALUES {', '.join(rows)} "  # noqa: S608
        f"ON CONFLICT (key) DO UPDATE SET hits = {TABLE}.hits + 1 "
        "RETURNING key, hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = dict(cursor.fetchall())
    return [found[f"{c.key}:{math.floor(now / c.period)}"] for c in counters]


def _count_in_cache(counters: list[Counter], now: float) -> list[int]:
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    counts = []
    for counter in counters:
        window = math.floor(now / counter.period)
        key = f"ratelimit:{counter.key}:{window}"
        cache.add(key, 0, counter.period + 1)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, counter.period + 1)
            counts.append(1)
    return counts


def hit_for(action: str, *, user=None, ip: str = "", scope=None) -> None:
    """Count one ``action`` by ``user`` (an account, or None) from ``ip``;
    raise RateLimited if that passes either limit."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    counters = _counters(action, user_id, ip, scope)
    if not counters:
        return
    now = time.time()
    if _store() == "database":
        counts = _count_in_database(counters, now)
    else:
        counts = _count_in_cache(counters, now)
    over = [
        (counter.period - now % counter.period)
        for counter, count in zip(counters, counts, strict=True)
        if count > counter.limit
    ]
    if over:
        raise RateLimited(action, math.ceil(max(over)))


def hit(request, action: str, *, scope=None) -> None:
    """Count one ``action`` by the request's account and address; raise
    RateLimited when either is over its limit."""
    hit_for(action, user=request.user, ip=client_ip(request), scope=scope)


def refused(request, refusal: RateLimited):
    """The 429 page for a refused plain POST."""
    response = render(
        request,
        "moderation/rate_limited.html",
        {"message": refusal.message, "retry_after": refusal.retry_after},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


def limit(action: str):
    """Decorate a POST view: over the limit, answer the 429 page and never
    call the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    hit(request, action)
                except RateLimited as refusal:
                    return refused(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def prune() -> int:
    """Delete windows that have ended; return how many (a beat task)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE expires_at < now()")  # noqa: S608
        return cursor.rowcount
