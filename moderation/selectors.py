"""Reads about moderation shared by other apps."""

import contextlib
from datetime import timedelta
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from civic.models import Department
from consultations.models import Comment
from moderation import content
from moderation.models import Appeal, Flag, ModerationAction, Sanction

AGES = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7)}


def active_sanction(*, user) -> Sanction | None:
    """The mute or suspension in force for ``user``, if any."""
    if not user.is_authenticated:
        return None
    return Sanction.objects.active().filter(user=user).order_by("-ends_at").first()


class Standing(NamedTuple):
    """What an account's own state says about its taking part."""

    verified: bool
    sanction: Sanction | None


_NOBODY = Standing(verified=False, sanction=None)

# ``Sanction.objects.active().filter(user=…).order_by("-ends_at").first()``
# beside the verified-address check, as one statement: the ORM would spend
# more time building the two queries than PostgreSQL spends running them.
_STANDING_SQL = (
    "SELECT e.verified, {outer} FROM ("
    "SELECT EXISTS (SELECT 1 FROM {email} WHERE user_id = %(user)s AND verified)"
    " AS verified) e LEFT JOIN ("
    "SELECT {inner} FROM {sanction} WHERE user_id = %(user)s"
    " AND kind IN (%(mute)s, %(suspend)s) AND starts_at <= %(now)s"
    " AND (ends_at IS NULL OR ends_at > %(now)s) AND lifted_at IS NULL"
    " ORDER BY ends_at DESC LIMIT 1) s ON TRUE"
)


def participant_standing(*, user) -> Standing:
    """Whether ``user`` has a verified email address, and the mute or
    suspension in force for them (as ``active_sanction``): one query.

    The answer is kept on the user object, so the checks of one request
    (the permission, then the reason for a refusal) share it; the request's
    user is loaded afresh for each request. A user object kept longer sees
    a later sanction or verification only after ``standing_forget``.
    """
    if not user.is_authenticated:
        return _NOBODY
    standing = getattr(user, "_participant_standing", None)
    if standing is None:
        standing = _standing_load(user.pk)
        user._participant_standing = standing
    return standing


def standing_forget(*, user) -> None:
    """Drop what ``participant_standing`` kept on ``user``."""
    with contextlib.suppress(AttributeError):
        del user._participant_standing


def _standing_load(user_id: int) -> Standing:
    quote = connection.ops.quote_name
    fields = Sanction._meta.concrete_fields
    columns = [quote(f.column) for f in fields]
    sql = _STANDING_SQL.format(
        outer=", ".join(f"s.{column}" for column in columns),
        inner=", ".join(columns),
        email=quote(EmailAddress._meta.db_table),
        sanction=quote(Sanction._meta.db_table),
    )
    params = {
        "user": user_id,
        "mute": Sanction.Kind.MUTE.value,
        "suspend": Sanction.Kind.SUSPEND.value,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        verified, *row = cursor.fetchone()
    sanction = None
    if row[0] is not None:
        names = [f.attname for f in fields]
        sanction = Sanction.from_db(connection.alias, names, row)
    return Standing(verified=verified, sanction=sanction)


def moderated_department_ids(*, moderator) -> list[int | None]:
    """The departments ``moderator`` covers; None in the list: site-wide."""
    return list(moderator.moderator_roles.values_list("department_id", flat=True))


def queue_departments(*, roles: list[int | None]) -> QuerySet[Department]:
    """The departments a moderator with ``roles`` may filter by."""
    departments = Department.objects.order_by("name_zh", "pk")
    if None in roles:
        return departments
    return departments.filter(pk__in=roles)


def _open_flags(content_type_id: int):
    return Flag.objects.filter(
        content_type_id=content_type_id,
        object_id=OuterRef("pk"),
        resolved_at__isnull=True,
    ).order_by()


QUEUE_COLUMNS = ("pk", "flag_count", "waiting_since", "escalated", "kind_id")
KIND_FILTERS = {
    "comment": ("comment", Q(parent__isnull=True)),
    "reply": ("comment", Q(parent__isnull=False)),
    "testimony": ("testimony", Q()),
    "question": ("question", Q()),
    "suggestion": ("suggestion", Q()),
}


def queue_part(kind: content.Kind, *, roles: list, filters: dict):
    """One kind's items awaiting a decision, as queue columns; None when
    the filters or the roles leave none of this kind."""
    if filters.get("kind"):
        key, condition = KIND_FILTERS[filters["kind"]]
        if key != kind.key:
            return None
    else:
        condition = Q()
    wanted_scope = filters.get("consultation") or filters.get("department")
    if kind.department is None and (None not in roles or wanted_scope):
        return None
    ct_id = kind.content_type.pk
    open_flags = _open_flags(ct_id)
    items = kind.model.objects.filter(condition).annotate(
        flag_count=Coalesce(
            Subquery(
                open_flags.values("object_id").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        first_flag_at=Subquery(
            open_flags.values("object_id")
            .annotate(first=Min("created_at"))
            .values("first"),
            output_field=DateTimeField(),
        ),
    )
    waiting = Q(status=content.PENDING)
    if kind.key == "question":
        # Live questions all wait for the session's chair (the hearing's
        # live console); here only those held by the rules or reported.
        waiting &= ~Q(hidden_reason="")
    # A hashed semi-join on the open reports (their partial index), not the
    # count subquery, decides which rows are in the queue.
    reported = Q(
        pk__in=Flag.objects.filter(
            content_type_id=ct_id, resolved_at__isnull=True
        ).values("object_id")
    )
    items = items.filter(waiting | reported).exclude(status=content.REMOVED)
    # Reported: since the first open report; pending only: since posted.
    items = items.annotate(
        waiting_since=Coalesce("first_flag_at", "created_at"),
    ).annotate(
        escalated=Exists(
            ModerationAction.objects.filter(
                kind=ModerationAction.Kind.ESCALATE,
                content_type_id=ct_id,
                object_id=OuterRef("pk"),
                created_at__gte=OuterRef("waiting_since"),
            )
        ),
        kind_id=Value(ct_id, output_field=IntegerField()),
    )
    if None not in roles:
        items = items.filter(**{f"{kind.department}__in": roles})
    if filters.get("consultation"):
        items = items.filter(**{kind.consultation: filters["consultation"]})
    if filters.get("department"):
        items = items.filter(**{kind.department: filters["department"]})
    if filters.get("reason"):
        items = items.filter(Exists(open_flags.filter(reason=filters["reason"])))
    if filters.get("age") in AGES:
        items = items.filter(waiting_since__lte=timezone.now() - AGES[filters["age"]])
    if filters.get("escalated"):
        items = items.filter(escalated=True)
    return items.values(*QUEUE_COLUMNS).order_by()


def content_queue(*, moderator, filters: dict | None = None, roles: list | None = None):
    """Everything awaiting a decision in what ``moderator`` covers, of
    every kind (comments and replies, testimony, live questions,
    suggestions): pending (pre-moderation, held by the rules, hidden after
    reports) or reported; most reported and longest waiting first. Rows
    hold the queue columns (``kind_id`` is the content type); ``queue_page``
    loads the items of one page.

    ``filters`` (all optional): consultation, department, reason, kind
    ("comment", "reply", "testimony", "question", "suggestion"), age
    ("1h", "24h", "7d"), escalated.
    """
    filters = filters or {}
    if roles is None:
        roles = moderated_department_ids(moderator=moderator)
    parts = [
        part
        for kind in content.KINDS.values()
        if roles
        and (part := queue_part(kind, roles=roles, filters=filters)) is not None
    ]
    if not parts:
        return Comment.objects.none().values(*QUEUE_COLUMNS)
    queue = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return queue.order_by("-flag_count", "waiting_since", "kind_id", "pk")


def comment_queue(
    *, moderator, filters: dict | None = None, roles: list | None = None
) -> QuerySet[Comment]:
    """The comments and replies of ``content_queue``."""
    filters = dict(filters or {})
    if filters.get("kind") not in ("comment", "reply"):
        filters.pop("kind", None)
    if roles is None:
        roles = moderated_department_ids(moderator=moderator)
    part = (
        queue_part(content.KINDS["comment"], roles=roles, filters=filters)
        if roles
        else None
    )
    if part is None:
        return Comment.objects.none()
    return Comment.objects.filter(pk__in=part.values("pk"))


def queue_page(rows) -> list:
    """The items behind one page of ``content_queue`` rows, in order, each
    with ``kind`` (moderation.content.Kind), ``flag_count``,
    ``waiting_since`` and ``escalated``: one query per kind on the page."""
    by_type = content.by_content_type()
    wanted: dict[int, list[int]] = {}
    for row in rows:
        wanted.setdefault(row["kind_id"], []).append(row["pk"])
    loaded = {
        ct_id: by_type[ct_id]
        .model.objects.select_related(*by_type[ct_id].related)
        .in_bulk(ids)
        for ct_id, ids in wanted.items()
    }
    items = []
    for row in rows:
        item = loaded[row["kind_id"]].get(row["pk"])
        if item is None:
            continue
        item.kind = by_type[row["kind_id"]]
        item.flag_count = row["flag_count"]
        item.waiting_since = row["waiting_since"]
        item.escalated = row["escalated"]
        items.append(item)
    return items


def oldest_waiting(queue):
    """When the longest-waiting item of ``queue`` started waiting."""
    first = list(queue.order_by("waiting_since")[:1])
    return first[0]["waiting_since"] if first else None


def flag_reasons(*, items: list) -> dict[tuple[int, int], list[str]]:
    """The open report reasons of each item, for the queue (one query);
    keyed by (content type id, object id)."""
    reasons: dict[tuple[int, int], list[str]] = {}
    if not items:
        return reasons
    condition = Q()
    for item in items:
        condition |= Q(content_type_id=item.kind.content_type.pk, object_id=item.pk)
    flags = Flag.objects.filter(condition, resolved_at__isnull=True).order_by(
        "created_at"
    )
    for flag in flags:
        reasons.setdefault((flag.content_type_id, flag.object_id), []).append(
            flag.get_reason_display()
        )
    return reasons


def author_recent(*, items: list, per_author: int = 3) -> dict:
    """Each author's latest items of the kinds on the page, for context
    in the queue (one query per kind); keyed by (kind key, author id)."""
    recent: dict[tuple[str, int], list] = {}
    authors: dict[str, set[int]] = {}
    for item in items:
        if item.author_id:
            authors.setdefault(item.kind.key, set()).add(item.author_id)
    for key, author_ids in authors.items():
        model = content.KINDS[key].model
        rows = (
            model.objects.filter(author_id__in=author_ids)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by="author_id", order_by="-created_at"
                )
            )
            .filter(rank__lte=per_author + 1)
            .order_by("author_id", "-created_at")
            .only("pk", "author_id", "body", "status", "created_at")
        )
        for row in rows:
            recent.setdefault((key, row.author_id), []).append(row)
    return recent


def author_decisions(*, author_ids: set[int]) -> dict[int, int]:
    """How many times each author's content was hidden or their account
    sanctioned, for context in the queue (one query)."""
    if not author_ids:
        return {}
    rows = (
        ModerationAction.objects.filter(
            subject_id__in=author_ids,
            kind__in=["hide", "auto_hide", "warn", "mute", "suspend"],
        )
        .values("subject_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["subject_id"]: row["n"] for row in rows}


def audit_entries(*, moderator, filters: dict | None = None):
    """The audit log as ``moderator`` may read it (site-wide: all of it; a
    department's moderator: that department's entries), newest first.

    ``filters``: q (in the reason and the content as it was), kind,
    comment (an id), account (an id), since, until (dates).
    """
    filters = filters or {}
    roles = moderated_department_ids(moderator=moderator)
    entries = ModerationAction.objects.select_related(
        "actor", "subject", "department", "content_type"
    )
    if not roles:
        return entries.none()
    if None not in roles:
        entries = entries.filter(department_id__in=roles)
    if filters.get("q"):
        entries = entries.filter(
            Q(reason__icontains=filters["q"])
            | Q(snapshot__body__icontains=filters["q"])
        )
    if filters.get("kind"):
        entries = entries.filter(kind=filters["kind"])
    if filters.get("comment"):
        entries = entries.filter(
            content_type__app_label="consultations",
            content_type__model="comment",
            object_id=filters["comment"],
        )
    if filters.get("account"):
        entries = entries.filter(
            Q(subject_id=filters["account"]) | Q(actor_id=filters["account"])
        )
    if filters.get("since"):
        entries = entries.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(created_at__date__lte=filters["until"])
    return entries.order_by("-created_at", "-pk")


def recent_sanctions(*, limit: int = 50):
    """The latest sanctions, active or not, for the sanctions page."""
    return Sanction.objects.select_related("user", "created_by").order_by(
        "-created_at", "-pk"
    )[:limit]


APPEALABLE = ["hide", "warn", "mute", "suspend"]


def decisions_about(*, user, limit: int = 50) -> list[ModerationAction]:
    """Hides of ``user``'s content and sanctions of their account, newest
    first, each with its appeal (if any) and the hidden item (``item``, any
    kind; ``comment`` when it is a comment)."""
    actions = list(
        ModerationAction.objects.filter(
            subject=user, kind__in=[*APPEALABLE, "request_edit"]
        )
        .annotate(
            edited=Exists(
                ModerationAction.objects.filter(
                    kind="edited",
                    content_type_id=OuterRef("content_type_id"),
                    object_id=OuterRef("object_id"),
                    created_at__gte=OuterRef("created_at"),
                )
            )
        )
        .select_related("appeal", "content_type")
        .order_by("-created_at", "-pk")[:limit]
    )
    by_type = content.by_content_type()
    wanted: dict[int, list[int]] = {}
    for action in actions:
        if action.content_type_id in by_type:
            wanted.setdefault(action.content_type_id, []).append(action.object_id)
    loaded = {
        ct_id: by_type[ct_id]
        .model.objects.select_related(*by_type[ct_id].related)
        .in_bulk(ids)
        for ct_id, ids in wanted.items()
    }
    for action in actions:
        action.item = loaded.get(action.content_type_id, {}).get(action.object_id)
        action.item_kind = by_type.get(action.content_type_id)
        action.item_url = (
            content.public_url(action.item) if action.item is not None else ""
        )
        action.comment = action.item if isinstance(action.item, Comment) else None
        action.appeal_or_none = getattr(action, "appeal", None)
        action.appealable = action.kind in APPEALABLE
        action.editable = (
            action.kind == "request_edit"
            and not action.edited
            and action.item is not None
            and action.item.author_id == user.pk
            and action.item.status != content.REMOVED
        )
    return actions


def open_appeals(*, moderator, roles: list | None = None):
    """Open appeals ``moderator`` may decide: not against their own
    decision; comments in departments they cover; sanctions if they are
    site-wide. Oldest first."""
    if roles is None:
        roles = moderated_department_ids(moderator=moderator)
    appeals = (
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .exclude(action__actor_id=moderator.pk)
        .select_related("action", "action__actor", "action__department", "appellant")
        .order_by("created_at", "pk")
    )
    if not roles:
        return appeals.none()
    if None not in roles:
        appeals = appeals.filter(action__kind="hide", action__department_id__in=roles)
    return appeals
