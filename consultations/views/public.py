"""The public side of consultations: the list and search, a consultation's
page with its draft document, a section's page, comment pages and the
draft as a download.

Comment actions (post, reply, edit, delete, support, report) live in
``consultations.views.comments``; the helpers here are shared by both.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import fragments, search, selectors
from consultations import rules as consultation_rules
from consultations.forms import CommentForm, ConsultationFilterForm
from consultations.models import Comment, Consultation
from moderation import selectors as moderation_selectors
from notifications import selectors as notification_selectors
from notifications import services as notification_services

CONSULTATIONS_PER_PAGE = 12
DOCUMENT_FORMATS = {"md": "text/markdown", "txt": "text/plain"}


# Shared helpers ---------------------------------------------------------------


def consultation_or_404(request, pk: int, *, related: bool = False) -> Consultation:
    """The consultation if ``request.user`` may see it; ``related`` also
    loads its areas, topics, attachments and extensions, which only the
    consultation's own page shows."""
    consultation = selectors.consultation_for(
        pk=pk, user=request.user, counts=False, related=related
    )
    if consultation is None:
        raise Http404(_("There is no such consultation."))
    return consultation


def participation(user, consultation: Consultation) -> dict:
    """What ``user`` may do on a page of ``consultation``, worked out once
    per page (a few queries), not once per comment."""
    is_open = consultation.status == Consultation.Status.OPEN
    sanction = moderation_selectors.active_sanction(user=user)
    sanctioned = sanction is not None
    verified = consultation_rules.has_verified_email(user)
    may_participate = user.is_authenticated and verified and not sanctioned
    official = consultation.status != Consultation.Status.ARCHIVED and bool(
        consultation_rules.is_department_official(user, consultation)
    )
    return {
        "base": consultation.get_absolute_url(),
        "is_open": is_open,
        "sanctioned": sanctioned,
        "can_comment": may_participate and is_open,
        "can_support": may_participate and is_open,
        "can_reply_officially": official,
        "can_reply": (may_participate and is_open) or official,
        "comment_refusal": _refusal(user, consultation, sanction, verified),
    }


def _refusal(user, consultation, sanction, verified: bool) -> str:
    """Why ``user`` cannot comment here, in words ("" if they can, or if
    they only need to log in)."""
    if consultation.status == Consultation.Status.SCHEDULED:
        return _("This consultation opens for comments on %(date)s.") % {
            "date": timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if consultation.status != Consultation.Status.OPEN:
        return _("This consultation is closed; comments are no longer accepted.")
    if not user.is_authenticated:
        return ""
    if sanction is not None and sanction.ends_at:
        return _("Your account cannot post until %(date)s: %(reason)s") % {
            "date": timezone.localtime(sanction.ends_at).strftime("%Y-%m-%d %H:%M"),
            "reason": sanction.reason,
        }
    if sanction is not None:
        return _("Your account is suspended: %(reason)s") % {"reason": sanction.reason}
    if not verified:
        return _("Please verify your email address before commenting.")
    return ""


def mark_comment_permissions(user, comments: list[Comment], context: dict) -> None:
    """Set ``can_edit``/``can_delete`` on each comment and reply of a page."""
    for comment in comments:
        thread = [comment, *comment.replies.all()]
        for item in thread:
            mine = user.is_authenticated and item.author_id == user.pk
            item.can_delete = mine and item.status != Comment.Status.REMOVED
            item.can_edit = (
                item.can_delete
                and context["is_open"]
                and not context["sanctioned"]
                and consultation_rules.within_edit_window(user, item)
            )


def comment_context(
    request, consultation: Consultation, page, *, show_section: bool = True
) -> dict:
    """A page of comments for ``request.user``: what they may do, and each
    comment's HTML (``comment.html``, see ``consultations.fragments``)."""
    context = participation(request.user, consultation)
    mark_comment_permissions(request.user, page.comments, context)
    context.update(consultation=consultation, page=page, show_section=show_section)
    fragments.render_comments(request, page.comments, context)
    return context


# Pages ------------------------------------------------------------------------


def consultation_list(request):
    form = ConsultationFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"q": ""}
    consultations = selectors.consultation_list(
        filters=selectors.ConsultationFilters(**filters)
    ).prefetch_related("topics")
    page = Paginator(consultations, CONSULTATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = filters["q"]
    matching_comments = (
        [
            (comment, search.highlight(comment.body, query, limit=240))
            for comment in selectors.comment_search(q=query, limit=10)
        ]
        if query
        else []
    )
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "form": form,
            "page": page,
            "q": query,
            "filtered": any(filters.values()),
            "matching_comments": matching_comments,
            "query_string": _without_page(request),
        },
    )


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# A visitor's consultation page (nobody signed in, nothing in the query but
# the sort, no message waiting) is the same for every visitor: the whole
# page is cached, per language, care mode and sort, with a placeholder for
# the CSRF token, under the consultation's page version (see
# selectors.public_page_version: a new version whenever its comments or the
# consultation itself change). A hit reads the version and the page in one
# cache round trip and queries nothing. A page is current until the version
# changes, the consultation's status changes with time (it opens or
# closes) or PAGE_CACHE_SECONDS pass, which bounds what other processes'
# changes (a survey attached, a moderator's decision elsewhere) take to
# show. Once it is out of date, the first request renders the new page
# while the requests that arrive meanwhile still get the previous one (for
# at most RENDER_LOCK_SECONDS): on a busy consultation a new comment every
# few milliseconds would otherwise have every request render the page at
# once. In development the cache is per process; production shares one
# (CACHE_URL).
PAGE_CACHE_SECONDS = 30
STALE_PAGE_SECONDS = 60
RENDER_LOCK_SECONDS = 10


def _is_visitor_page(request) -> bool:
    sort = request.GET.get("sort")
    return not (
        request.user.is_authenticated
        or not _plain_query(request, {"sort"})
        or (sort is not None and sort not in selectors.SORTS)
        # A message is shown once, to this visitor only.
        or len(messages.get_messages(request))
    )


def _plain_query(request, names: set[str]) -> bool:
    """Whether the query holds only ``names``, each once, written as the
    site's own links write it: only such addresses are cached, so varying
    the spelling of one (``?sort=a&sort=newest``, ``?%73ort=newest``) cannot
    fill the cache with copies of a page."""
    lists = dict(request.GET.lists())
    return (
        set(lists) <= names
        and all(len(values) == 1 for values in lists.values())
        and request.META.get("QUERY_STRING", "") == urlencode(request.GET.items())
    )


def _visitor_page_key(request, pk: int) -> str:
    care = int(bool(getattr(request, "care_mode", False)))
    return (
        f"consultations:visitor-page:{pk}:{get_language()}:{care}:"
        f"{request.get_full_path()}"
    )


def consultation_detail(request, pk: int):
    if _is_visitor_page(request):
        return _visitor_consultation_page(request, pk)
    return _reader_page(request, pk)


def _reader_page(request, pk: int) -> HttpResponse:
    """The page as ``request.user`` sees it, rendered for them (the
    document's parts from the cache)."""
    consultation = consultation_or_404(request, pk, related=False)
    context = _detail_context(request, consultation)
    context["parts"] = _document_parts(consultation, context)
    return render(request, "consultations/consultation_detail.html", context)


def _visitor_consultation_page(request, pk: int) -> HttpResponse:
    version_key = selectors.public_page_version_key(pk)
    key = _visitor_page_key(request, pk)
    found = cache.get_many([version_key, key])
    entry = found.get(key)  # (version, current until, html)
    if entry is not None:
        if _is_current(entry, found.get(version_key)):
            return _visitor_response(request, entry[2])
        if not cache.add(f"{key}:rendering", 1, RENDER_LOCK_SECONDS):
            # Another request is rendering the new page.
            return _visitor_response(request, entry[2])
    try:
        stamp = selectors.visitor_page_stamp(pk=pk)
        if stamp is None or stamp.published_at is None:
            # Not public (or gone): its officials' page, or 404.
            cache.delete(key)
            return _reader_page(request, pk)
        return _visitor_page(request, stamp, key)
    finally:
        if entry is not None:
            cache.delete(f"{key}:rendering")


def _is_current(entry: tuple | None, version: str | None) -> bool:
    """Whether a cached visitor page (version, current until, …) is of the
    consultation's current ``version`` and not past its time."""
    return entry is not None and entry[0] == version and entry[1] > time.time()


def _visitor_response(request, html: str) -> HttpResponse:
    # get_token also has the middleware set the CSRF cookie, as rendering
    # {% csrf_token %} would.
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _visitor_page_seconds(stamp: Consultation) -> float:
    """How long a visitor's page of ``stamp`` is current: until its status
    next changes with time, and never more than PAGE_CACHE_SECONDS."""
    now = timezone.now()
    seconds = float(PAGE_CACHE_SECONDS)
    for moment in (stamp.opens_at, stamp.closes_at):
        if moment is not None and moment > now:
            seconds = min(seconds, (moment - now).total_seconds())
    return seconds


def _visitor_page(request, stamp: Consultation, key: str) -> HttpResponse:
    """Render a visitor's page of the published consultation ``stamp`` and
    cache it under ``key`` (see PAGE_CACHE_SECONDS)."""
    # Read before rendering: a comment posted meanwhile gives a newer
    # version, so this page is never taken for the newer one.
    version = selectors.public_page_version(consultation_id=stamp.pk)
    consultation = consultation_or_404(request, stamp.pk, related=False)
    context = _document_context(consultation, _detail_context(request, consultation))
    html = render_to_string(
        "consultations/consultation_detail.html",
        {**context, "csrf_token": CSRF_PLACEHOLDER},
        request=request,
    )
    seconds = _visitor_page_seconds(stamp)
    if seconds > 1:
        entry = (version, time.time() + seconds, html)
        cache.set(key, entry, int(seconds) + STALE_PAGE_SECONDS)
    return _visitor_response(request, html)


def _detail_context(request, consultation: Consultation) -> dict:
    page = selectors.comment_page(
        consultation=consultation,
        viewer=request.user,
        sort=request.GET.get("sort", "newest"),
    )
    context = comment_context(request, consultation, page)
    context.update(
        following=notification_selectors.is_following(
            user=request.user, consultation=consultation
        ),
        form_html=_comment_form_html(request, consultation, context),
    )
    return context


def _document_context(consultation: Consultation, context: dict) -> dict:
    """What the page shows of ``consultation`` itself: its facts, outcome,
    introduction and draft with comment counts (see ``_document_parts``)."""
    prefetch_related_objects([consultation], *selectors.CONSULTATION_RELATED)
    consultation.comment_count = sum(
        selectors.comment_counts(consultation=consultation).values()
    )
    return {
        **context,
        "consultation": consultation,
        "sections": selectors.sections_public(consultation=consultation),
        "outcome": (
            selectors.outcome_public(consultation=consultation)
            if consultation.has_published_outcome
            else None
        ),
    }


def _document_parts(consultation: Consultation, context: dict) -> dict:
    """The top and the body of ``consultation``'s page (all but the reader's
    tools and the comments): the same for everyone, so rendered once and
    cached under the same version, last change, status and language as a
    visitor's page."""
    version = selectors.public_page_version(consultation_id=consultation.pk)
    key = (
        f"consultations:page-parts:{consultation.pk}:{version}:"
        f"{consultation.updated_at.timestamp()}:{consultation.status}:"
        f"{get_language()}"
    )
    # A draft or scheduled consultation's document, scope and attachments
    # change without touching ``updated_at``: its officials see it fresh.
    editable = consultation.status in {
        Consultation.Status.DRAFT,
        Consultation.Status.SCHEDULED,
    }
    parts = None if editable else cache.get(key)
    if parts is None:
        document = _document_context(consultation, context)
        parts = {
            name: render_to_string(f"consultations/_consultation_{name}.html", document)
            for name in ("top", "body")
        }
        if not editable:
            cache.set(key, parts, PAGE_CACHE_SECONDS)
    # Our own templates' output, escaped when it was rendered.
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308


# Replaced in cached HTML by each reader's CSRF token: made from the secret
# key, so every process (sharing a cache) writes the same one and nobody can
# plant it in a comment's text.
CSRF_PLACEHOLDER = f"__csrf_{salted_hmac('csrf-placeholder', '').hexdigest()[:20]}__"
KEY_PLACEHOLDER = "__idempotency_key__"


def _comment_form_html(request, consultation: Consultation, context: dict) -> str:
    """The empty comment form for a reader who may comment, rendered once
    per consultation, change and language with placeholders for the CSRF
    token and the form's idempotency key, filled in for each reader."""
    if not context["can_comment"]:
        return ""
    key = (
        f"consultations:comment-form:{consultation.pk}:"
        f"{consultation.updated_at.timestamp()}:{get_language()}"
    )
    html = cache.get(key)
    if html is None:
        form = CommentForm(
            consultation=consultation, initial={"idempotency_key": KEY_PLACEHOLDER}
        )
        empty = {"consultation": consultation, "form": form}
        html = render_to_string(
            "consultations/_comment_form.html",
            {**empty, "csrf_token": CSRF_PLACEHOLDER},
        )
        cache.set(key, html, PAGE_CACHE_SECONDS)
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    # Our own template's output; the placeholders hold no markup.
    return mark_safe(html.replace(KEY_PLACEHOLDER, str(uuid.uuid4())))  # noqa: S308


def section_detail(request, pk: int, anchor: str):
    consultation = consultation_or_404(request, pk)
    section = selectors.section_for(consultation=consultation, anchor=anchor)
    if section is None:
        raise Http404(_("This draft has no such section."))
    page = selectors.comment_page(
        consultation=consultation,
        viewer=request.user,
        section=section,
        sort=request.GET.get("sort", "newest"),
        cursor=request.GET.get("cursor", ""),
    )
    context = comment_context(request, consultation, page, show_section=False)
    context.update(
        section=section,
        form=(
            CommentForm(consultation=consultation, initial={"section": section})
            if context["can_comment"] and section.is_commentable
            else None
        ),
    )
    return render(request, "consultations/section_detail.html", context)


def comment_list(request, pk: int):
    """All comments of a consultation, a page at a time ("Show more").

    A visitor's page is cached with a digest of what it shows
    (``selectors.visitor_page_state``) and the consultation's page version.
    While the version is unchanged (and for PAGE_CACHE_SECONDS at most) it
    is served without a query; once a comment anywhere in the consultation
    changes, the digest (two small queries) tells whether this page
    changed: if not, it is kept under the new version, so a deep page is
    rendered again only when something on it changes."""
    if _is_visitor_list(request):
        return _visitor_comment_list(request, pk)
    return _comment_list(request, pk)


def _comment_list(request, pk: int, **extra) -> HttpResponse:
    consultation = consultation_or_404(request, pk)
    page = selectors.comment_page(
        consultation=consultation,
        viewer=request.user,
        sort=request.GET.get("sort", "newest"),
        cursor=request.GET.get("cursor", ""),
    )
    context = comment_context(request, consultation, page)
    return render(request, "consultations/comment_list.html", {**context, **extra})


def _is_visitor_list(request) -> bool:
    sort = request.GET.get("sort")
    return not (
        request.user.is_authenticated
        or not _plain_query(request, {"sort", "cursor"})
        or (sort is not None and sort not in selectors.SORTS)
        or len(request.GET.get("cursor", "")) > MAX_CURSOR_LENGTH
        or len(messages.get_messages(request))
    )


MAX_CURSOR_LENGTH = 200
# How long a page of comments is kept, and reused while its digest holds:
# what it shows is checked against the digest far more often (above).
COMMENT_PAGE_CACHE_SECONDS = 300


def _visitor_comment_list(request, pk: int) -> HttpResponse:
    care = int(bool(getattr(request, "care_mode", False)))
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12)
    key = (
        f"consultations:visitor-comments:{pk}:{get_language()}:{care}:"
        f"{path.hexdigest()}"
    )
    version_key = selectors.public_page_version_key(pk)
    found = cache.get_many([version_key, key])
    entry = found.get(key)  # (version, current until, state, html, render until)
    if (
        entry is not None
        and entry[0] == found.get(version_key)
        and entry[1] > time.time()
    ):
        return _visitor_response(request, entry[3])
    stamp = selectors.visitor_page_stamp(pk=pk)
    if stamp is None or stamp.published_at is None:
        return _comment_list(request, pk)  # its officials' page, or 404
    version = selectors.public_page_version(consultation_id=pk)

    def state() -> str | None:
        digest = selectors.visitor_page_state(
            consultation_id=pk,
            sort=request.GET.get("sort", "newest"),
            cursor=request.GET.get("cursor", ""),
        )
        if digest is None:
            return None  # a made-up cursor: shown, never cached
        return f"{digest}:{stamp.updated_at.timestamp()}:{stamp.status}"

    before = state()
    if before is None:
        return _comment_list(request, pk)
    now = time.time()
    if entry is not None and entry[2] == before and entry[4] > now:
        html, rendered_until = entry[3], entry[4]
    else:
        response = _comment_list(request, pk, csrf_token=CSRF_PLACEHOLDER)
        html = response.content.decode()
        # Names the digest does not cover (a section's, a department's)
        # show within this time.
        rendered_until = now + COMMENT_PAGE_CACHE_SECONDS
        if state() != before:
            # Something on the page changed while it was rendered.
            return _visitor_response(request, html)
    entry = (version, now + _visitor_page_seconds(stamp), before, html, rendered_until)
    cache.set(key, entry, COMMENT_PAGE_CACHE_SECONDS)
    return _visitor_response(request, html)


def comment_thread(request, pk: int, comment_pk: int, reply_form=None, status=200):
    """One comment with its replies: the permalink of every comment."""
    consultation = consultation_or_404(request, pk)
    comment = selectors.comment_thread(
        consultation=consultation, pk=comment_pk, viewer=request.user
    )
    if comment is None:
        raise Http404(_("This comment does not exist or was deleted."))
    context = participation(request.user, consultation)
    mark_comment_permissions(request.user, [comment], context)
    context.update(consultation=consultation, comment=comment, reply_form=reply_form)
    context.update(thread_page=True, show_section=False)
    fragments.render_comments(request, [comment], context)
    return render(request, "consultations/comment_thread.html", context, status=status)


def consultation_document(request, pk: int, fmt: str):
    """The draft as a Markdown or plain-text download."""
    consultation = consultation_or_404(request, pk)
    if fmt not in DOCUMENT_FORMATS:
        raise Http404(_("This format is not available."))
    sections = list(consultation.sections.order_by("position"))
    response = HttpResponse(
        document_text(consultation, sections, markdown=fmt == "md"),
        content_type=f"{DOCUMENT_FORMATS[fmt]}; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{consultation.title}.{fmt}"
    )
    return response


def document_text(consultation: Consultation, sections, *, markdown: bool) -> str:
    """The draft as Markdown (headings marked) or plain text."""
    title = consultation.title
    lines = [f"# {title}" if markdown else f"{title}\n{'=' * len(title)}"]
    period = ""
    if consultation.opens_at:
        period = " – ".join(
            timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            for moment in (consultation.opens_at, consultation.closes_at)
        )
    lines.append(
        _("%(department)s · comment period %(period)s (Beijing time)")
        % {"department": consultation.department.name, "period": period or "—"}
    )
    lines.append(consultation.summary)
    for section in sections:
        heading = " ".join(part for part in (section.number, section.heading) if part)
        if heading and markdown:
            level = "##" if section.kind == section.Kind.CHAPTER else "###"
            heading = f"{level} {heading}"
        lines.extend(part for part in (heading, section.body) if part)
    lines.append(
        _("Source: %(url)s")
        % {"url": f"{settings.SITE_URL.rstrip('/')}{consultation.get_absolute_url()}"}
    )
    return "\n\n".join(lines) + "\n"


@login_required
@require_POST
def consultation_follow(request, pk: int):
    consultation = consultation_or_404(request, pk)
    if not request.user.has_perm("consultations.follow_consultation", consultation):
        messages.error(request, _("You cannot follow this consultation."))
    elif notification_services.follow_toggle(
        user=request.user, consultation=consultation
    ):
        messages.success(
            request,
            _(
                "You follow this consultation. You will be told about official "
                "replies, extensions, its closing and the published outcome."
            ),
        )
    else:
        messages.success(request, _("You no longer follow this consultation."))
    return redirect(consultation)
