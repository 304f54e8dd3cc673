"""The public transparency report: monthly counts of reports, hides,
appeals and reversals per department (read-only aggregates)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civic.models import Department
from moderation import content
from moderation.models import Flag, ModerationAction

Kind = ModerationAction.Kind
COLUMNS = {
    Kind.AUTO_HIDE: "auto_hides",
    Kind.HIDE: "hides",
    Kind.APPEAL: "appeals",
    Kind.APPEAL_UPHELD: "reversals",
}


@dataclass
class Row:
    month: date
    department: str
    reports: int = 0
    auto_hides: int = 0
    hides: int = 0
    appeals: int = 0
    reversals: int = 0


def _since(months: int) -> date:
    today = timezone.localdate()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def monthly_counts(*, months: int = 12) -> list[Row]:
    """One row per month and department with any activity, newest month
    first; content outside any department (sanctions) is site-wide."""
    since = _since(months)
    tz = timezone.get_current_timezone()
    actions = (
        ModerationAction.objects.filter(created_at__date__gte=since, kind__in=COLUMNS)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month", "department_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reports = []
    for kind in content.KINDS.values():
        department = (
            Subquery(
                kind.model.objects.filter(pk=OuterRef("object_id")).values(
                    kind.department
                )[:1],
                output_field=IntegerField(),
            )
            if kind.department
            else Value(None, output_field=IntegerField())
        )
        reports += (
            Flag.objects.filter(
                created_at__date__gte=since, content_type=kind.content_type
            )
            .annotate(
                month=TruncMonth("created_at", tzinfo=tz), department_id=department
            )
            .values("month", "department_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    rows: dict[tuple, dict] = {}
    for item in actions:
        key = (item["month"].date(), item["department_id"])
        counts = rows.setdefault(key, {})
        column = COLUMNS[item["kind"]]
        counts[column] = counts.get(column, 0) + item["n"]
    for item in reports:
        key = (item["month"].date(), item["department_id"])
        counts = rows.setdefault(key, {})
        counts["reports"] = counts.get("reports", 0) + item["n"]
    names = {
        d.pk: d.name
        for d in Department.objects.filter(pk__in={k[1] for k in rows if k[1]})
    }
    result = [
        Row(month=month, department=names.get(dept, ""), **counts)
        for (month, dept), counts in rows.items()
    ]
    result.sort(key=lambda r: (-r.month.toordinal(), r.department))
    return result
