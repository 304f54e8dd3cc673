"""Reads the API adds to the apps' selectors.

Visibility always comes from the app's own selector (what a page may
show); this module only picks columns and counts that the open-data
formats need.
"""

from datetime import timedelta

from django.db.models import (
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Extract

from api.filters import day_start
from civic.models import Area, Department
from consultations import selectors as consultation_selectors
from consultations.models import Consultation, Outcome
from demands import selectors as demand_selectors
from demands.models import Demand, DemandSource, DemandUpdate


def consultations(*, filters: dict) -> QuerySet[Consultation]:
    """Published consultations matching the API's filters.

    The page's selector decides which consultations match; the rows are
    read without its per-row comment count, which would count a large
    consultation's comments on every list request (the detail endpoint
    gives the count, cached as on the page).
    """
    matching = consultation_selectors.consultation_list(
        filters=consultation_selectors.ConsultationFilters(
            status=filters.get("status", ""),
            area=filters.get("area"),
            topic=filters.get("topic"),
            department=filters.get("department"),
            q=filters.get("q", ""),
        )
    ).values("pk")
    rows = Consultation.objects.filter(pk__in=matching)
    if filters.get("since"):
        rows = rows.filter(opens_at__gte=day_start(filters["since"]))
    if filters.get("until"):
        rows = rows.filter(opens_at__lt=day_start(filters["until"] + timedelta(days=1)))
    return (
        rows.select_related("department")
        .defer("body", "search_vector")
        .annotate(
            outcome_published_at=Subquery(
                Outcome.objects.filter(consultation=OuterRef("pk")).values(
                    "published_at"
                )[:1]
            )
        )
    )


# Demands ----------------------------------------------------------------------


def demands(*, filters: dict | None = None) -> QuerySet[Demand]:
    """Listed demands (merged ones left out), as the demand list shows
    them, filtered by the API's parameters."""
    filters = filters or {}
    rows = demand_selectors.demand_list(
        filters=demand_selectors.DemandFilters(
            area=filters.get("area"),
            topic=filters.get("topic"),
            status=filters.get("status", ""),
            department=filters.get("department"),
            q=filters.get("q", ""),
        )
    )
    if filters.get("since"):
        rows = rows.filter(created_at__gte=day_start(filters["since"]))
    if filters.get("until"):
        rows = rows.filter(
            created_at__lt=day_start(filters["until"] + timedelta(days=1))
        )
    return rows


def demand_updates() -> QuerySet[DemandUpdate]:
    """Every public step of every demand's timeline."""
    return DemandUpdate.objects.filter(is_public=True).select_related(
        "demand", "department_to"
    )


def source_counts(*, demand_ids) -> dict[int, dict[str, int]]:
    """Inputs per demand and kind (comment, survey answer, ...), one query."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in demand_ids}
    rows = (
        DemandSource.objects.filter(demand_id__in=list(demand_ids))
        .order_by()
        .values_list("demand_id", "kind")
        .annotate(n=Count("pk"))
    )
    for demand_id, kind, n in rows:
        counts[demand_id][kind] = n
    return counts


def _days(later: str, earlier: str):
    return Extract(
        ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()),
        "epoch",
    ) / Value(86400.0)


def _figures(demands: QuerySet[Demand], group: str) -> list[dict]:
    status = Demand.Status
    return list(
        demands.order_by()
        .values(group)
        .annotate(
            received=Count("pk"),
            responded=Count("pk", filter=Q(first_response_at__isnull=False)),
            resolved=Count("pk", filter=Q(status=status.RESOLVED)),
            declined=Count("pk", filter=Q(status=status.DECLINED)),
            median_days_to_response=demand_selectors.Median(
                _days("first_response_at", "created_at"),
                filter=Q(first_response_at__isnull=False),
            ),
            median_days_to_resolution=demand_selectors.Median(
                _days("resolved_at", "created_at"),
                filter=Q(resolved_at__isnull=False, status=status.RESOLVED),
            ),
        )
        .order_by(group)
    )


def accountability() -> dict:
    """Demands received, responded to, resolved and declined, with the
    median days to a first response and to resolution: overall, per
    department and per district (a demand in a street counts for its
    district). Three grouped queries."""
    listed = Demand.objects.filter(demand_selectors.LISTED)
    overall = _figures(listed.annotate(all=Value(1)), "all")
    by_department = {
        row["department__slug"]: row for row in _figures(listed, "department__slug")
    }
    district = Func(
        F("area__path"),
        Value("/"),
        Value(2),
        function="split_part",
        output_field=CharField(),
    )
    by_district = {
        row["district"]: row
        for row in _figures(listed.annotate(district=district), "district")
    }
    departments = {
        d.slug: d
        for d in Department.objects.filter(slug__in=[s for s in by_department if s])
    }
    districts = {
        a.code: a for a in Area.objects.filter(code__in=[c for c in by_district if c])
    }
    return {
        "overall": overall[0] if overall else None,
        "departments": [
            {**row, "department": departments.get(slug)}
            for slug, row in by_department.items()
        ],
        "districts": [
            {**row, "area": districts.get(code)} for code, row in by_district.items()
        ],
    }
