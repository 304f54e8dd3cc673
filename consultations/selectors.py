"""Reads of consultations shared by pages and the API.

Visibility lives here: pages and the API call the same functions, so they
never disagree about what a person may see.
"""

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from civic.models import Area, Department, Topic
from consultations import search
from consultations.models import (
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
    Support,
)
from hearings import selectors as hearing_selectors

Status = Consultation.Status
COMMENTS_PER_PAGE = 20
REPRESENTATIVE_COMMENTS = 3


def status_q(status: str, now: datetime | None = None) -> Q:
    """A filter matching consultations in ``status`` at ``now``."""
    now = now or timezone.now()
    published = Q(published_at__isnull=False, archived_at__isnull=True)
    responded = Q(outcome__published_at__isnull=False)
    return {
        Status.DRAFT: Q(published_at__isnull=True, archived_at__isnull=True),
        Status.SCHEDULED: published & Q(opens_at__gt=now),
        Status.OPEN: published & Q(opens_at__lte=now, closes_at__gt=now),
        Status.CLOSED: published & Q(closes_at__lte=now) & ~responded,
        Status.RESPONDED: published & Q(closes_at__lte=now) & responded,
        Status.ARCHIVED: Q(archived_at__isnull=False),
    }[status]


def _with_counts(
    consultations: QuerySet[Consultation], *, comments: bool = True
) -> QuerySet[Consultation]:
    """The department, whether the outcome is published and, unless
    ``comments`` is False, the number of visible top-level comments."""
    consultations = consultations.select_related("department").annotate(
        outcome_published_at=Subquery(
            Outcome.objects.filter(consultation=OuterRef("pk")).values("published_at")[
                :1
            ]
        )
    )
    if not comments:
        return consultations
    visible_comments = (
        Comment.objects.filter(
            consultation=OuterRef("pk"),
            status=Comment.Status.VISIBLE,
            parent__isnull=True,
        )
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return consultations.annotate(
        comment_count=Coalesce(
            Subquery(visible_comments, output_field=IntegerField()), Value(0)
        ),
    )


def public_consultations() -> QuerySet[Consultation]:
    """Everything a visitor may see: published consultations."""
    return Consultation.objects.filter(published_at__isnull=False)


@dataclass(frozen=True)
class ConsultationFilters:
    status: str = ""
    area: Area | None = None
    topic: Topic | None = None
    department: Department | None = None
    q: str = ""


def consultation_list(*, filters: ConsultationFilters) -> QuerySet[Consultation]:
    """Published consultations matching ``filters``, ranked by relevance
    when searching, else newest opening first."""
    consultations = public_consultations()
    if filters.status not in ("", *Status.values):
        # An unknown status (a hand-edited URL) matches nothing, not a 500.
        return consultations.none()
    if filters.status:
        consultations = consultations.filter(status_q(filters.status))
    if filters.area is not None:
        # A consultation for a district covers everything under it, so one
        # for an area above the chosen one matches too.
        ancestors = [c for c in filters.area.path.split("/") if c]
        consultations = consultations.filter(
            Q(areas__path__startswith=filters.area.path) | Q(areas__code__in=ancestors)
        ).distinct()
    if filters.topic is not None:
        consultations = consultations.filter(topics=filters.topic)
    if filters.department is not None:
        consultations = consultations.filter(department=filters.department)
    consultations = _with_counts(consultations)
    query = search.query(filters.q) if filters.q else None
    if filters.q and query is None:
        return consultations.none()
    if query is not None:
        return (
            consultations.filter(search_vector=query)
            .annotate(rank=SearchRank("search_vector", query))
            .order_by("-rank", "-opens_at", "-pk")
        )
    return consultations.order_by("-opens_at", "-pk")


def comment_search(*, q: str, limit: int = 20) -> QuerySet[Comment]:
    """Visible comments on published consultations matching ``q``."""
    query = search.query(q)
    if query is None:
        return Comment.objects.none()
    return (
        Comment.objects.filter(
            search_vector=query,
            status=Comment.Status.VISIBLE,
            consultation__published_at__isnull=False,
        )
        .select_related("consultation", "author", "section")
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-pk")[:limit]
    )


# What a consultation's page shows beside the consultation itself.
CONSULTATION_RELATED = ("areas", "topics", "attachments", "extensions")


def consultation_for(
    *, pk: int, user: User, counts: bool = True, related: bool = True
) -> Consultation | None:
    """One consultation if ``user`` may see it (drafts: its officials);
    ``counts=False`` leaves out the comment count (see ``comment_counts``),
    ``related=False`` the areas, topics, attachments and extensions."""
    consultations = _with_counts(Consultation.objects.filter(pk=pk), comments=counts)
    if related:
        consultations = consultations.prefetch_related(*CONSULTATION_RELATED)
    consultation = consultations.first()
    if consultation is None or not user.has_perm(
        "consultations.view_consultation", consultation
    ):
        return None
    return consultation


def sections_with_counts(*, consultation: Consultation) -> list[Section]:
    return list(
        consultation.sections.annotate(
            comment_count=Count(
                "comments",
                filter=Q(
                    comments__status=Comment.Status.VISIBLE,
                    comments__parent__isnull=True,
                ),
            )
        ).order_by("position")
    )


# Comment pages: keyset pagination that stays fast at 100,000 comments.

SORTS = {
    "newest": ("created_at", "-created_at"),
    "supported": ("support_count", "-support_count"),
}


def _encode_cursor(comment: Comment, sort: str) -> str:
    field = SORTS[sort][0]
    value = getattr(comment, field)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, comment.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        value = datetime.fromisoformat(value) if sort == "newest" else int(value)
        return value, int(pk)
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError):
        return None


@dataclass
class CommentPage:
    comments: list[Comment]
    next_cursor: str | None
    sort: str


# Everyone sees visible comments, deleted placeholders and the reason a
# comment was hidden; a pending comment only its author.
PUBLIC_STATUSES = [
    Comment.Status.VISIBLE,
    Comment.Status.REMOVED,
    Comment.Status.HIDDEN,
]


def _visible_to(viewer: User) -> Q:
    visible = Q(status__in=PUBLIC_STATUSES)
    if viewer.is_authenticated:
        visible |= Q(status=Comment.Status.PENDING, author_id=viewer.pk)
    return visible


def _page_keys(
    *, where: dict, viewer: User, sort: str, position, limit: int
) -> list[tuple]:
    """The (sort value, pk) of the next ``limit`` top-level comments matching
    ``where`` (column: value) after ``position``.

    One ordered, limited scan per status the viewer may see, merged: each
    scan reads the (consultation or section, status, sort value) index in
    order, so a page costs the same at 100,000 comments as at 10, where an
    ``IN`` over the statuses would sort every comment of the consultation.
    Written as SQL: composing the four scans with the ORM cost more than
    running them.
    """
    column = SORTS[sort][0]
    conditions = [f"{name} = %s" for name in where] + ["parent_id IS NULL"]
    params = list(where.values())
    if position is not None:
        value, pk = position
        conditions.append(
            f"{column} <= %s AND ({column} < %s OR ({column} = %s AND id < %s))"
        )
        params += [value, value, value, pk]
    scans = [("status = %s", [status]) for status in PUBLIC_STATUSES]
    if viewer.is_authenticated:
        scans.append(
            ("status = %s AND author_id = %s", [Comment.Status.PENDING, viewer.pk])
        )
    table = Comment._meta.db_table
    sql = " UNION ALL ".join(
        f"(SELECT {column}, id FROM {table} WHERE {' AND '.join(conditions)} "  # noqa: S608 - names from _meta and SORTS
        f"AND {scan} ORDER BY {column} DESC, id DESC LIMIT %s)"
        for scan, _values in scans
    )
    arguments = [a for _scan, values in scans for a in (*params, *values, limit)]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return sorted(cursor.fetchall(), reverse=True)[:limit]


def _with_replies(ids: list[int], viewer: User) -> list[Comment]:
    """The top-level comments ``ids``, in that order, each with the replies
    ``viewer`` may see (``comment.replies.all()``), in one query."""
    loaded = (
        Comment.objects.filter(
            Q(pk__in=ids) | Q(_visible_to(viewer), parent_id__in=ids)
        )
        .select_related("author", "section", "official_department", "outcome_item")
        .order_by("created_at", "pk")
    )
    tops, replies = {}, {pk: [] for pk in ids}
    for comment in loaded:
        if comment.parent_id is None:
            tops[comment.pk] = comment
        else:
            replies[comment.parent_id].append(comment)
    rows = [tops[pk] for pk in ids if pk in tops]
    for comment in rows:
        # As prefetch_related leaves it: replies.all() reads this list.
        prefetched = Comment.objects.filter(parent_id=comment.pk)
        prefetched._result_cache = replies[comment.pk]
        prefetched._prefetch_done = True
        comment._prefetched_objects_cache = {"replies": prefetched}
    return rows


def comment_page(
    *,
    consultation: Consultation,
    viewer: User,
    section: Section | None = None,
    sort: str = "newest",
    cursor: str = "",
    per_page: int = COMMENTS_PER_PAGE,
) -> CommentPage:
    """One page of top-level comments with their replies, newest or most
    supported first; ``cursor`` continues after the last one seen."""
    sort = sort if sort in SORTS else "newest"
    where = {"consultation_id": consultation.pk}
    if section is not None:
        where["section_id"] = section.pk
    position = _decode_cursor(cursor, sort) if cursor else None
    keys = _page_keys(
        where=where, viewer=viewer, sort=sort, position=position, limit=per_page + 1
    )
    rows = _with_replies([pk for _value, pk in keys[:per_page]], viewer)
    _mark_supported(rows, viewer)
    return CommentPage(
        comments=rows,
        next_cursor=(
            _encode_cursor(rows[-1], sort) if len(keys) > per_page and rows else None
        ),
        sort=sort,
    )


def visitor_page_state(
    *, consultation_id: int, sort: str, cursor: str, per_page: int = COMMENTS_PER_PAGE
) -> str | None:
    """A digest of everything a visitor's page of comments (``sort``, after
    ``cursor``) shows of the comments on it: which comments, in which order,
    whether more follow, and each one's and each public reply's text,
    status, counts, stance, edit, section, answer and author's name. Equal
    digests mean equal pages, so the page can be cached under it and still
    change the moment anything on it does. Two small queries (three after a
    cursor). None when ``cursor`` is not where a page of this consultation
    ends (a made-up position): such a page is shown but not cached, so made-up
    addresses cannot fill the cache."""
    sort = sort if sort in SORTS else "newest"
    position = _decode_cursor(cursor, sort) if cursor else None
    if cursor and not _is_comment_position(consultation_id, sort, position):
        return None
    keys = _page_keys(
        where={"consultation_id": consultation_id},
        viewer=AnonymousUser(),
        sort=sort,
        position=position,
        limit=per_page + 1,
    )
    ids = [pk for _value, pk in keys[:per_page]]
    comments, users = Comment._meta.db_table, User._meta.db_table
    with connection.cursor() as cursor_:
        cursor_.execute(
            # A row's text form keeps every field in its place, NULLs too.
            f"SELECT md5(string_agg(row(c.id, c.parent_id, c.status, "  # noqa: S608 - names from _meta
            f"c.support_count, c.reply_count, c.stance, c.edited_at, c.section_id, "
            f"c.outcome_item_id, c.official_department_id, c.author_id, "
            f"u.display_name, c.hidden_reason, c.body)::text, ',' "
            f"ORDER BY c.id)) FROM {comments} c "
            f"LEFT JOIN {users} u ON u.id = c.author_id "
            f"WHERE c.id = ANY(%s) OR (c.parent_id = ANY(%s) AND c.status = ANY(%s))",
            [ids, ids, [str(status) for status in PUBLIC_STATUSES]],
        )
        (digest,) = cursor_.fetchone()
    order = ",".join(map(str, ids))
    more = len(keys) > per_page
    return hashlib.blake2b(
        f"{order}|{int(more)}|{digest}".encode(), digest_size=16
    ).hexdigest()


def _is_comment_position(consultation_id: int, sort: str, position) -> bool:
    """Whether ``position`` (sort value, pk) is that of a top-level comment
    of the consultation, as every "Show more" link's cursor is."""
    if position is None:
        return False
    value, pk = position
    column = SORTS[sort][0]
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = %s AND consultation_id = %s "  # noqa: S608 - names from _meta and SORTS
            f"AND parent_id IS NULL AND {column} = %s",
            [pk, consultation_id, value],
        )
        return cursor.fetchone() is not None


def _mark_supported(comments: list[Comment], viewer: User) -> None:
    """Set ``supported_by_viewer`` on each comment and reply: one query for
    the viewer's supports among them (none for a visitor)."""
    everything = [c for top in comments for c in (top, *top.replies.all())]
    supported = set()
    if viewer.is_authenticated and everything:
        supported = set(
            Support.objects.filter(
                user_id=viewer.pk, comment_id__in=[c.pk for c in everything]
            ).values_list("comment_id", flat=True)
        )
    for comment in everything:
        comment.supported_by_viewer = comment.pk in supported


def comment_thread(
    *, consultation: Consultation, pk: int, viewer: User
) -> Comment | None:
    """One top-level comment of ``consultation`` with all its replies, if
    ``viewer`` may see it."""
    replies = (
        Comment.objects.filter(_visible_to(viewer))
        .select_related("author", "official_department")
        .order_by("created_at", "pk")
    )
    comments = (
        Comment.objects.filter(
            _visible_to(viewer),
            consultation=consultation,
            parent__isnull=True,
            pk=pk,
        )
        .select_related("author", "section", "official_department", "outcome_item")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .first()
    )
    if comments is not None:
        _mark_supported([comments], viewer)
    return comments


def comment_by_key(*, idempotency_key) -> Comment | None:
    """The comment stored under a form's idempotency key, if any."""
    return (
        Comment.objects.filter(idempotency_key=idempotency_key)
        .select_related("consultation")
        .first()
    )


def section_for(*, consultation: Consultation, anchor: str) -> Section | None:
    """One section of ``consultation`` by anchor, with its comment count
    (from ``comment_counts``)."""
    section = consultation.sections.filter(anchor=anchor).first()
    if section is not None:
        section.comment_count = comment_counts(consultation=consultation).get(
            section.pk, 0
        )
    return section


def sections_public(*, consultation: Consultation) -> list[Section]:
    """The draft's sections in order, each with its comment count (from
    ``comment_counts``, so the public page stays cheap at any size)."""
    counts = comment_counts(consultation=consultation)
    sections = list(consultation.sections.order_by("position"))
    for section in sections:
        section.comment_count = counts.get(section.pk, 0)
    return sections


# Visible top-level comments per section, for the public pages. Counting
# 100,000 comments costs more than the rest of a page, so the counts are
# kept a few seconds and dropped whenever a comment is posted, deleted or
# changes status.
COMMENT_COUNTS_TTL = 30


def _counts_key(consultation_id: int) -> str:
    return f"consultations:comment-counts:{consultation_id}"


def comment_counts(*, consultation: Consultation) -> dict[int | None, int]:
    """Visible top-level comments by section id (None: on the whole
    draft), in one grouped query, cached for ``COMMENT_COUNTS_TTL``."""
    key = _counts_key(consultation.pk)
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            Comment.objects.filter(
                consultation=consultation,
                status=Comment.Status.VISIBLE,
                parent__isnull=True,
            )
            .order_by()
            .values_list("section_id")
            .annotate(n=Count("pk"))
        )
        cache.set(key, counts, COMMENT_COUNTS_TTL)
    return counts


def comment_counts_forget(*, consultation_id: int) -> None:
    """The consultation's public comments changed: forget the cached counts
    and give its public page a new version (see ``public_page_version``)."""
    cache.delete_many([_counts_key(consultation_id), _version_key(consultation_id)])


def public_page_forget(*, consultation_id: int) -> None:
    """The consultation itself changed (its text, schedule, scope, files or
    outcome): give its public page a new version."""
    cache.delete(_version_key(consultation_id))


def public_page_version_key(consultation_id: int) -> str:
    """The cache key ``public_page_version`` keeps its token under, for a
    caller that reads it together with other keys (one cache round trip)."""
    return _version_key(consultation_id)


def _version_key(consultation_id: int) -> str:
    return f"consultations:page-version:{consultation_id}"


def visitor_page_stamp(*, pk: int) -> Consultation | None:
    """Consultation ``pk`` with only the fields that decide its status and
    whether a visitor's cached page of it is current (published, opens,
    closes, archived, updated, outcome published), plus its department and
    moderation mode, in one small raw query: on the busiest page, building
    the full ORM query costs more than the cached page itself. Posting a
    comment needs no more either (``consultation_to_post``)."""
    table = Consultation._meta.db_table
    outcomes = Outcome._meta.db_table
    sql = (
        f"SELECT c.id, c.published_at, c.opens_at, c.closes_at, c.archived_at, "  # noqa: S608 - names from _meta
        f"c.updated_at, c.department_id, c.moderation, "
        f"o.published_at AS outcome_published_at FROM {table} c "
        f"LEFT JOIN {outcomes} o ON o.consultation_id = c.id WHERE c.id = %s"
    )
    return next(iter(Consultation.objects.raw(sql, [pk])), None)


def consultation_to_post(*, pk: int, user: User) -> Consultation | None:
    """Consultation ``pk``, if ``user`` may see it, with only what posting a
    comment to it reads (status, department, moderation mode); its other
    fields load on first use."""
    consultation = visitor_page_stamp(pk=pk)
    if consultation is None or not user.has_perm(
        "consultations.view_consultation", consultation
    ):
        return None
    return consultation


def public_page_version(*, consultation_id: int) -> str:
    """A token that changes whenever ``comment_counts_forget`` runs for the
    consultation: part of the key its cached public page is stored under."""
    key = _version_key(consultation_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    return version


def outcome_public(*, consultation: Consultation) -> Outcome | None:
    """The published outcome with its items, each with how many comments it
    answers and a few of the most supported of them."""
    representative = Comment.objects.filter(status=Comment.Status.VISIBLE).order_by(
        "-support_count", "-pk"
    )
    return (
        Outcome.objects.filter(consultation=consultation, published_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=OutcomeItem.objects.select_related("section").annotate(
                    answered_count=Count(
                        "answered_comments",
                        filter=Q(answered_comments__status=Comment.Status.VISIBLE),
                    )
                ),
            ),
            Prefetch(
                "items__answered_comments",
                queryset=representative[:REPRESENTATIVE_COMMENTS],
                to_attr="representative_comments",
            ),
        )
        .first()
    )


def comment_for(*, pk: int, user: User) -> Comment | None:
    """A comment its viewer may act on (published consultation)."""
    comment = (
        Comment.objects.filter(pk=pk, consultation__published_at__isnull=False)
        .select_related("consultation", "consultation__department", "author", "section")
        .first()
    )
    if comment is None:
        return None
    if comment.status == Comment.Status.PENDING and comment.author_id != user.pk:
        return None
    return comment


def participant_ids(*, consultation_id: int) -> QuerySet:
    """Everyone who commented on or supported a comment in a consultation."""
    commenters = Comment.objects.filter(
        consultation_id=consultation_id, author__isnull=False
    ).values_list("author_id", flat=True)
    supporters = Support.objects.filter(
        comment__consultation_id=consultation_id
    ).values_list("user_id", flat=True)
    return commenters.union(supporters)


def figures(*, consultation: Consultation) -> dict:
    """Live figures for officials: participants, comments, supports, and
    comments by district."""
    comments = Comment.objects.filter(consultation=consultation).exclude(
        status=Comment.Status.REMOVED
    )
    totals = comments.aggregate(
        comments=Count("pk", filter=Q(parent__isnull=True)),
        replies=Count("pk", filter=Q(parent__isnull=False)),
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
        commenters=Count("author", distinct=True),
    )
    supports = Support.objects.filter(comment__consultation=consultation).aggregate(
        supports=Count("pk"), supporters=Count("user", distinct=True)
    )
    by_district = list(
        comments.values("author_district__name_zh", "author_district__name_en")
        .annotate(n=Count("pk"), people=Count("author", distinct=True))
        .order_by("-n")
    )
    by_stance = dict(
        comments.filter(parent__isnull=True)
        .values_list("stance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    participants = participant_ids(consultation_id=consultation.pk).count()
    return {
        **totals,
        **supports,
        "participants": participants,
        "by_district": by_district,
        "by_stance": by_stance,
    }


def home_sections() -> dict:
    """What the home page shows: open consultations, upcoming hearings and
    the latest published responses."""
    open_now = list(
        _with_counts(public_consultations().filter(status_q(Status.OPEN)))
        .prefetch_related("topics")
        .order_by("closes_at")[:6]
    )
    outcomes = list(
        Outcome.objects.filter(
            published_at__isnull=False, consultation__archived_at__isnull=True
        )
        .select_related("consultation", "consultation__department")
        .order_by("-published_at")[:5]
    )
    return {
        "open_consultations": open_now,
        "upcoming_hearings": hearing_selectors.upcoming_hearings(limit=5),
        "latest_outcomes": outcomes,
    }
