"""The live question list, rendered once per version of the list.

Hundreds of viewers poll the list every five seconds, and after each change
(a new question, an upvote, a moderator's decision) every one of them
fetches it again. Rendering two hundred questions takes tens of
milliseconds, so the list is cached in pieces, one cache entry per hearing
and language: each question in each form a viewer can get (no upvote
button, "Upvote", "Withdraw upvote"), in list order, and a visitor's whole
list, as of a version of the list (``Hearing.qa_version``, bumped by every
change). When the version moves on, only the questions whose text, answer
or upvotes changed are rendered again. A resident's list is put together
from the pieces, their own upvotes and their own questions waiting for a
moderator. A moderator's list, with its moderation forms, is rendered in
full.
"""

import hashlib
import time
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.signing import salted_hmac
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from hearings import selectors
from hearings.models import Hearing, LiveQuestion

CACHE_SECONDS = 300
LIST_TEMPLATE = "hearings/_questions.html"
ITEM_TEMPLATE = "hearings/_question.html"
GROUPS = ("answering", "open", "answered", "hidden")
NO_BUTTON, UPVOTE, UPVOTED = "none", "upvote", "upvoted"
# Renders the upvote button as a signed-in viewer who did not write the
# question sees it (no account has the primary key 0).
SIGNED_IN = SimpleNamespace(is_authenticated=True, pk=0)


def etag(*, hearing_id: int, version: int, status: str, user) -> str:
    """The polled list's ETag: it changes with the list, the hearing's
    status (upvoting ends with the session), the viewer and the language."""
    return f'"q{hearing_id}-{version}-{status}-{user.pk or 0}-{get_language()}"'


def _csrf_placeholder() -> str:
    # Stands for the viewer's CSRF token in the cached pieces: the same in
    # every process (the cache may be shared), and unguessable, so no
    # question's text can contain it.
    return "csrf-" + salted_hmac("hearings.fragments", "csrf").hexdigest()[:32]


def _upvotable(question: LiveQuestion, hearing: Hearing) -> bool:
    return (
        question.status == LiveQuestion.Status.VISIBLE
        and question.answer_state != LiveQuestion.Answer.ANSWERED
        and hearing.status == Hearing.State.LIVE
    )


def _item(question, hearing, user, *, moderator=False, csrf_token="") -> str:
    context = {
        "question": question,
        "hearing": hearing,
        "user": user,
        "moderator": moderator,
        "csrf_token": csrf_token,
    }
    return render_to_string(ITEM_TEMPLATE, context)


def _frame(*, moderator: bool, items: dict, own_pending: list) -> SafeString:
    """The list around its rendered items (``items``: HTML per group)."""
    context = {
        "moderator": moderator,
        "items": {group: mark_safe(html) for group, html in items.items()},  # noqa: S308
        "own_pending": own_pending,
    }
    return mark_safe(render_to_string(LIST_TEMPLATE, context))  # noqa: S308


def _digest(question: LiveQuestion) -> str:
    """What a question's piece shows: the piece is rendered again only
    when this changes."""
    shown = (
        question.body,
        question.author.display_name if question.author else "",
        question.upvote_count,
        question.status,
        question.answer_state,
        question.answer,
        question.hidden_reason,
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()


def _forms(question: LiveQuestion, hearing: Hearing) -> tuple[str, ...]:
    if _upvotable(question, hearing):
        return (NO_BUTTON, UPVOTE, UPVOTED)
    return (NO_BUTTON,)


def _render_pieces(hearing: Hearing, earlier: dict | None) -> dict:
    """Each shown question in each form a viewer can get, in list order,
    and a visitor's whole list; pieces of ``earlier`` whose question did
    not change are kept, for at most ``CACHE_SECONDS`` (so new templates
    or translations show within minutes of a deployment)."""
    questions = selectors.questions(
        hearing=hearing, user=AnonymousUser(), moderator=False
    )
    now = time.time()
    if earlier is None or now - earlier["born"] > CACHE_SECONDS:
        earlier = {"born": now, "groups": {}}
    kept = {
        (pk, digest): forms
        for rows in earlier["groups"].values()
        for pk, _author, digest, forms in rows
    }
    placeholder = _csrf_placeholder()
    groups = {}
    for group in GROUPS:
        rows = []
        for question in questions[group]:
            digest = _digest(question)
            forms = kept.get((question.pk, digest))
            if forms is None:
                forms = {}
                for form in _forms(question, hearing):
                    question.upvoted = form == UPVOTED
                    viewer = AnonymousUser() if form == NO_BUTTON else SIGNED_IN
                    forms[form] = _item(
                        question, hearing, viewer, csrf_token=placeholder
                    )
            rows.append((question.pk, question.author_id, digest, forms))
        groups[group] = rows
    visitor = _frame(
        moderator=False,
        items={
            group: "".join(forms[NO_BUTTON] for *_row, forms in rows)
            for group, rows in groups.items()
        },
        own_pending=[],
    )
    return {
        "version": hearing.qa_version,
        "born": earlier["born"],
        "groups": groups,
        "pending": selectors.pending_questions(hearing=hearing),
        "visitor": str(visitor),
    }


def _pieces(hearing: Hearing) -> dict:
    """The pieces of the list at least as new as ``hearing.qa_version``:
    one cache entry per hearing, status and language."""
    key = f"hearings:qa:{hearing.pk}:{hearing.status}:{get_language()}"
    pieces = cache.get(key)
    if pieces is None or pieces["version"] < hearing.qa_version:
        pieces = _render_pieces(hearing, pieces)
        cache.set(key, pieces, CACHE_SECONDS)
    return pieces


def _signed_in_list(request, hearing: Hearing, pieces: dict) -> SafeString:
    """A resident's list from the cached pieces: their upvotes, no button
    on their own questions, and their questions waiting for a moderator."""
    user = request.user
    upvoted = selectors.upvoted_ids(hearing=hearing, user=user)
    placeholder, token = _csrf_placeholder(), get_token(request)
    items = {}
    for group, rows in pieces["groups"].items():
        parts = []
        for pk, author_id, _digest, forms in rows:
            form = NO_BUTTON
            if author_id != user.pk:
                form = UPVOTED if pk in upvoted else UPVOTE
            parts.append(forms.get(form, forms[NO_BUTTON]))
        items[group] = "".join(parts).replace(placeholder, token)
    return _frame(
        moderator=False,
        items=items,
        own_pending=[
            {"body": body}
            for author_id, body in pieces["pending"]
            if author_id == user.pk
        ],
    )


def _moderator_list(request, hearing: Hearing) -> SafeString:
    """Everything, pending questions first, each with moderation forms."""
    questions = selectors.questions(hearing=hearing, user=request.user, moderator=True)
    token = get_token(request)
    items = {
        group: "".join(
            _item(q, hearing, request.user, moderator=True, csrf_token=token)
            for q in rows
        )
        for group, rows in questions.items()
    }
    return _frame(moderator=True, items=items, own_pending=[])


def question_list(request, hearing: Hearing, *, moderator: bool) -> SafeString:
    """The question list as the viewer sees it."""
    if moderator:
        return _moderator_list(request, hearing)
    pieces = _pieces(hearing)
    if request.user.is_authenticated:
        return _signed_in_list(request, hearing, pieces)
    return mark_safe(pieces["visitor"])  # noqa: S308
