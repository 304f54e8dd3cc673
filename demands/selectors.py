"""Reads of suggestions and demands shared by pages, exports and the API.

Everything here costs a fixed number of queries whatever the data size:
lists are paginated in the database, counts are one aggregate each.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Extract, TruncMonth
from django.utils import timezone

from accounts.models import User
from civic import selectors as civic_selectors
from civic.models import Area, Department, Topic
from consultations import search
from demands.models import (
    AnalysisRun,
    Demand,
    DemandSource,
    DemandUpdate,
    Suggestion,
    SuggestionSupport,
)

Status = Demand.Status
# What the public lists show: everything but demands merged into another.
LISTED = ~Q(status=Status.MERGED)
SIMILAR_LIMIT = 5
MAX_SIMILAR_TOKENS = 8


# Public demand lists ------------------------------------------------------------


@dataclass(frozen=True)
class DemandFilters:
    area: Area | None = None
    topic: Topic | None = None
    status: str = ""
    department: Department | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.area, self.topic, self.status, self.department, self.q))


def _filtered(filters: DemandFilters, *, area: bool = True) -> QuerySet[Demand]:
    demands = Demand.objects.filter(LISTED)
    if filters.status:
        if filters.status not in Status.values:
            return demands.none()
        demands = demands.filter(status=filters.status)
    if area and filters.area is not None:
        # Any level: the area and everything under it (materialised path).
        demands = demands.filter(area__path__startswith=filters.area.path)
    if filters.topic is not None:
        demands = demands.filter(topic=filters.topic)
    if filters.department is not None:
        demands = demands.filter(department=filters.department)
    if filters.q:
        query = search.query(filters.q)
        if query is None:
            return demands.none()
        demands = demands.filter(search_vector=query)
    return demands


def demand_list(*, filters: DemandFilters) -> QuerySet[Demand]:
    """Listed demands matching ``filters``, highest score first."""
    return (
        _filtered(filters)
        .select_related("topic", "area", "department")
        .order_by("-score", "-pk")
    )


def demand_status_counts(*, filters: DemandFilters) -> dict[str, int]:
    """How many listed demands of each status match the other filters (one
    query)."""
    others = DemandFilters(
        area=filters.area,
        topic=filters.topic,
        department=filters.department,
        q=filters.q,
    )
    rows = (
        _filtered(others)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(Status.values, 0)
    counts.update(dict(rows))
    counts.pop(Status.MERGED, None)
    return counts


@dataclass(frozen=True)
class Tile:
    area: Area
    count: int
    level: int  # 0 (none) to 4 (the most), for the shade


def density_by_area(
    *, filters: DemandFilters, parent: Area | None = None
) -> list[Tile]:
    """Listed demands (other filters applied) in each district, or in each
    child of ``parent``; one query."""
    demands = _filtered(filters, area=False).filter(
        area__path__startswith=OuterRef("path")
    )
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row.
    counted = demands.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    areas = civic_selectors.area_children(parent=parent).annotate(
        demand_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    )
    rows = list(areas)
    largest = max((a.demand_count for a in rows), default=0)
    tiles = []
    for area in rows:
        if not area.demand_count or not largest:
            level = 0
        else:
            level = min(4, 1 + (3 * area.demand_count) // largest)
        tiles.append(Tile(area=area, count=area.demand_count, level=level))
    return tiles


def demand_for(*, pk: int) -> Demand | None:
    return (
        Demand.objects.select_related(
            "topic", "area", "department", "merged_into", "central_source"
        )
        .filter(pk=pk)
        .first()
    )


def demand_timeline(*, demand: Demand, public_only: bool = True) -> list[DemandUpdate]:
    updates = demand.updates.select_related(
        "author", "department_from", "department_to", "related_demand"
    )
    if public_only:
        updates = updates.filter(is_public=True)
    return list(updates.order_by("created_at", "pk"))


def demand_sources(*, demand: Demand) -> QuerySet[DemandSource]:
    """The inputs feeding ``demand``, newest first (page it)."""
    return (
        DemandSource.objects.filter(demand=demand)
        .select_related("area", "consultation")
        .order_by("-created_at", "-pk")
    )


def latest_response(*, demand: Demand) -> DemandUpdate | None:
    return (
        demand.updates.filter(
            is_public=True,
            kind__in=[
                DemandUpdate.Kind.RESPONSE,
                DemandUpdate.Kind.PROGRESS,
                DemandUpdate.Kind.STATUS,
            ],
        )
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )


def demand_fed_by(obj) -> tuple[Demand | None, DemandUpdate | None]:
    """The demand an input (comment, suggestion, answer…) feeds, following
    merges, and its latest public response; two queries."""
    content_type = ContentType.objects.get_for_model(obj)
    latest = DemandUpdate.objects.filter(
        demand=OuterRef("demand"),
        is_public=True,
        kind__in=[
            DemandUpdate.Kind.RESPONSE,
            DemandUpdate.Kind.PROGRESS,
            DemandUpdate.Kind.STATUS,
        ],
    ).order_by("-created_at", "-pk")
    source = (
        DemandSource.objects.filter(
            content_type=content_type, object_id=obj.pk, demand__isnull=False
        )
        .select_related("demand")
        .annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .first()
    )
    if source is None:
        return None, None
    response = (
        DemandUpdate.objects.select_related("author")
        .filter(pk=source.latest_id)
        .first()
        if source.latest_id
        else None
    )
    return source.demand, response


# Suggestions --------------------------------------------------------------------


def suggestion_for(*, pk: int, user: User) -> Suggestion | None:
    """A suggestion if ``user`` may see it (others' only when visible)."""
    suggestion = (
        Suggestion.objects.select_related("author", "topic", "area")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None or not user.has_perm("demands.view_suggestion", suggestion):
        return None
    return suggestion


def has_supported(*, user: User, suggestion_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        SuggestionSupport.objects.filter(
            user=user, suggestion_id__in=list(suggestion_ids)
        ).values_list("suggestion_id", flat=True)
    )


def suggestion_list(*, area: Area | None = None, topic: Topic | None = None):
    suggestions = Suggestion.objects.filter(status=Suggestion.Status.VISIBLE)
    if area is not None:
        suggestions = suggestions.filter(area__path__startswith=area.path)
    if topic is not None:
        suggestions = suggestions.filter(topic=topic)
    return suggestions.select_related("area", "topic").order_by("-created_at", "-pk")


def _any_word_query(text: str) -> SearchQuery | None:
    """Documents containing any of the (longer) words of ``text``: search
    before proposing wants near matches, not only exact ones."""
    words = [
        w for w in dict.fromkeys(search.tokens(text)) if len(w) > 1 or not w.isascii()
    ][:MAX_SIMILAR_TOKENS]
    if not words:
        return None
    lexemes = " | ".join(
        "'" + word.replace("'", "''").replace("\\", "") + "'" for word in words
    )
    return SearchQuery(lexemes, config="simple", search_type="raw")


def _district_of(area: Area | None) -> Area | None:
    if area is None:
        return None
    if area.level <= Area.Level.DISTRICT:
        return area
    codes = [c for c in area.path.split("/") if c]
    return Area.objects.filter(code=codes[1]).first() if len(codes) > 1 else area


def similar(
    *, text: str, area: Area | None = None, limit: int = SIMILAR_LIMIT
) -> tuple[list[Suggestion], list[Demand]]:
    """Visible suggestions and listed demands like ``text`` in the same
    district as ``area`` (anywhere when no area), best match first."""
    query = _any_word_query(text)
    if query is None:
        return [], []
    scope = _district_of(area)
    suggestions = Suggestion.objects.filter(
        status=Suggestion.Status.VISIBLE, search_vector=query
    )
    demands = Demand.objects.filter(LISTED, search_vector=query)
    if scope is not None:
        suggestions = suggestions.filter(area__path__startswith=scope.path)
        demands = demands.filter(area__path__startswith=scope.path)
    suggestions = (
        suggestions.select_related("area")
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-support_count", "-pk")[:limit]
    )
    demands = (
        demands.select_related("area")
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-score", "-pk")[:limit]
    )
    return list(suggestions), list(demands)


# Console ----------------------------------------------------------------------


def official_department_ids(*, user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(user.memberships.values_list("department_id", flat=True))


def triage_list(
    *, user: User, status: str = "", q: str = "", unassigned: bool = False
) -> QuerySet[Demand]:
    """The official's departments' demands and the unassigned new ones."""
    departments = official_department_ids(user=user)
    mine = Q(department_id__in=departments)
    unclaimed = Q(department__isnull=True, status__in=[Status.NEW, Status.ACCEPTED])
    demands = Demand.objects.filter(unclaimed if unassigned else mine | unclaimed)
    if user.is_superuser and not unassigned:
        demands = Demand.objects.all()
    demands = demands.filter(status=status) if status else demands.filter(LISTED)
    if q:
        query = search.query(q)
        demands = demands.filter(search_vector=query) if query else demands.none()
    return demands.select_related("topic", "area", "department").order_by(
        "-priority", "-score", "-pk"
    )


def merge_targets(*, demand: Demand, user: User, q: str = "", limit: int = 50):
    """Demands ``demand`` could be merged into: same triage scope, listed."""
    return triage_list(user=user, q=q).exclude(pk=demand.pk)[:limit]


def shared_terms(first: DemandSource, second: DemandSource) -> list[str]:
    """The normalised terms two inputs have in common: why they were put
    together (the pipeline writes each input's terms)."""
    a = set((first.tokens or "").split())
    b = set((second.tokens or "").split())
    return sorted(a & b, key=lambda t: (-len(t), t))


def latest_run() -> AnalysisRun | None:
    return AnalysisRun.objects.order_by("-created_at", "-pk").first()


# Dashboard --------------------------------------------------------------------


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(later: str, earlier: str):
    return Extract(
        ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()),
        "epoch",
    ) / Value(86400.0)


@dataclass
class Dashboard:
    received: int
    responded: int
    resolved: int
    declined: int
    response_rate: float | None
    median_days_to_response: float | None
    median_days_to_resolution: float | None
    months: list[dict]


MONTHS = 12


def dashboard(
    *, department: Department | None = None, area: Area | None = None, now=None
) -> Dashboard:
    """Accountability figures for all demands, a department's or an
    area's (and everything under it); three queries."""
    now = now or timezone.now()
    demands = Demand.objects.filter(LISTED)
    if department is not None:
        demands = demands.filter(department=department)
    if area is not None:
        demands = demands.filter(area__path__startswith=area.path)
    totals = demands.aggregate(
        received=Count("pk"),
        responded=Count("pk", filter=Q(first_response_at__isnull=False)),
        resolved=Count("pk", filter=Q(status=Status.RESOLVED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        to_response=Median(
            _days("first_response_at", "created_at"),
            filter=Q(first_response_at__isnull=False),
        ),
        to_resolution=Median(
            _days("resolved_at", "created_at"),
            filter=Q(resolved_at__isnull=False, status=Status.RESOLVED),
        ),
    )
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (MONTHS - 1)
    month_starts = [
        local.replace(
            year=(index + k) // 12,
            month=(index + k) % 12 + 1,
            day=1,
            hour=0,
            minute=0,
            second=0,
            microsecond=0,
        )
        for k in range(MONTHS)
    ]
    start = month_starts[0]
    series = {}
    for name, field in (
        ("received", "created_at"),
        ("responded", "first_response_at"),
        ("resolved", "resolved_at"),
    ):
        rows = (
            demands.filter(**{f"{field}__gte": start})
            .annotate(month=TruncMonth(field))
            .order_by()
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
        for month, n in rows:
            key = timezone.localtime(month).strftime("%Y-%m")
            series.setdefault(key, {})[name] = n
    months = []
    for first_day in month_starts:
        key = first_day.strftime("%Y-%m")
        values = series.get(key, {})
        months.append(
            {
                "month": key,
                "received": values.get("received", 0),
                "responded": values.get("responded", 0),
                "resolved": values.get("resolved", 0),
            }
        )
    received = totals["received"]
    return Dashboard(
        received=received,
        responded=totals["responded"],
        resolved=totals["resolved"],
        declined=totals["declined"],
        response_rate=(totals["responded"] / received) if received else None,
        median_days_to_response=totals["to_response"],
        median_days_to_resolution=totals["to_resolution"],
        months=months,
    )


def department_breakdown() -> list[Department]:
    """Each department with its demands received, responded and resolved;
    one query."""
    listed = Q(demands__status__in=[s for s in Status.values if s != Status.MERGED])
    return list(
        Department.objects.annotate(
            received=Count("demands", filter=listed),
            responded=Count(
                "demands", filter=listed & Q(demands__first_response_at__isnull=False)
            ),
            resolved=Count("demands", filter=Q(demands__status=Status.RESOLVED)),
        )
        .filter(received__gt=0)
        .order_by("-received", "name_zh")
    )
