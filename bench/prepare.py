"""What the benchmarks prepare and check in the database: signed-in
sessions, the cursor of a deep comment page, page query counts, and the
check that every accepted post was stored exactly once."""

import uuid

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from consultations import selectors
from consultations.models import Comment, Consultation
from moderation.models import RateCounter


def signed_in_sessions(users: list[User]) -> list[str]:
    """A database session per user, as logging in would make it."""
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def reset_rate_limits() -> None:
    """Forget every rate-limit window of the benchmark database, so a run
    right after another (or after bench.cpu's posts) starts alike instead
    of finding its residents at their limit of comments a minute."""
    RateCounter.objects.all().delete()


def forget_sessions(keys: list[str]) -> None:
    Session.objects.filter(session_key__in=keys).delete()


def cursor_after(consultation: Consultation, pages: int) -> str:
    """The "show more" cursor after ``pages`` pages of newest comments, as
    a visitor following the link page after page would get it."""
    cursor = ""
    for _ in range(pages):
        page = selectors.comment_page(
            consultation=consultation, viewer=AnonymousUser(), cursor=cursor
        )
        if page.next_cursor is None:
            raise ValueError(f"Fewer than {pages} pages of comments")
        cursor = page.next_cursor
    return cursor


def page_queries(path: str, *, host: str, session_key: str = "") -> tuple[int, int]:
    """The status and SQL query count of one request for ``path``."""
    client = Client(HTTP_HOST=host)
    if session_key:
        client.cookies["sessionid"] = session_key
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def stored_keys(keys: list[uuid.UUID]) -> list[uuid.UUID]:
    """The idempotency keys among ``keys`` that have a stored comment, one
    entry per stored row."""
    found = []
    for start in range(0, len(keys), 5000):
        found.extend(
            Comment.objects.filter(
                idempotency_key__in=keys[start : start + 5000]
            ).values_list("idempotency_key", flat=True)
        )
    return found


def check_posts(sent: list[uuid.UUID], accepted: set[uuid.UUID]) -> dict:
    """Compare what the server said with what it stored: nothing accepted
    may be missing, nothing stored twice, nothing refused stored."""
    stored = stored_keys(sent)
    stored_set = set(stored)
    return {
        "accepted": len(accepted),
        "stored": len(stored),
        "lost": len(accepted - stored_set),
        "doubled": len(stored) - len(stored_set),
        "stored_but_refused": len(stored_set - accepted),
    }


def delete_posts(keys: list[uuid.UUID]) -> None:
    """Remove the benchmark's own posts so the next run starts alike."""
    for start in range(0, len(keys), 5000):
        Comment.objects.filter(idempotency_key__in=keys[start : start + 5000]).delete()
