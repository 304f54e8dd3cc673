"""Demands and suggestions as GeoReport v2 service requests.

A demand is ``D<id>``, a resident's suggestion ``S<id>``. Only what the
public pages show is listed: demands not merged away, suggestions visible
after moderation. A suggestion's place is given down to its street, never
finer (it may be its author's home).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from api import selectors as api_selectors
from api.links import absolute
from api.open311 import formats
from civic.models import Area, Topic
from demands import selectors as demand_selectors
from demands.models import Demand, DemandSource, DemandUpdate, Suggestion

CLOSED = (Demand.Status.RESOLVED, Demand.Status.DECLINED, Demand.Status.MERGED)
NOTE_KINDS = (
    DemandUpdate.Kind.RESPONSE,
    DemandUpdate.Kind.PROGRESS,
    DemandUpdate.Kind.STATUS,
    DemandUpdate.Kind.MERGE,
)
MAX_REQUESTS = 1000
STREET = Area.Level.STREET


@dataclass(frozen=True)
class RequestFilters:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def iso(value) -> str | None:
    """ISO 8601 with the offset, to the second (2026-11-25T09:30:00+08:00)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def services() -> list[dict]:
    return [
        {
            "service_code": topic.slug,
            "service_name": topic.name,
            "description": _topic_description(topic),
            "metadata": False,
            "type": "batch",
            "keywords": f"{topic.name_zh}, {topic.name_en}",
            "group": "",
        }
        for topic in Topic.objects.order_by("position", "slug")
    ]


def _topic_description(topic: Topic) -> str:
    english = (get_language() or "").startswith("en")
    if english and topic.description_en:
        return topic.description_en
    return topic.description_zh or topic.description_en or topic.name


def _latest_note():
    return Subquery(
        DemandUpdate.objects.filter(
            demand=OuterRef("pk"), is_public=True, kind__in=NOTE_KINDS
        )
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )


def _demands(filters: RequestFilters, ids: list[int] | None):
    if ids is not None:
        rows = Demand.objects.filter(pk__in=ids).select_related(
            "topic", "area", "department"
        )
    else:
        rows = api_selectors.demands()
    if filters.service_codes:
        rows = rows.filter(topic__slug__in=filters.service_codes)
    if filters.start:
        rows = rows.filter(created_at__gte=filters.start)
    if filters.end:
        rows = rows.filter(created_at__lte=filters.end)
    if filters.statuses == ("open",):
        rows = rows.exclude(status__in=CLOSED)
    elif filters.statuses == ("closed",):
        rows = rows.filter(status__in=CLOSED)
    return rows.annotate(note=_latest_note()).order_by("-created_at", "-pk")


def _suggestions(filters: RequestFilters, ids: list[int] | None):
    rows = demand_selectors.suggestion_list()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if filters.service_codes:
        rows = rows.filter(topic__slug__in=filters.service_codes)
    if filters.start:
        rows = rows.filter(created_at__gte=filters.start)
    if filters.end:
        rows = rows.filter(created_at__lte=filters.end)
    fed = DemandSource.objects.filter(
        content_type=ContentType.objects.get_for_model(Suggestion),
        object_id=OuterRef("pk"),
        demand__isnull=False,
    )
    rows = rows.annotate(
        demand_status=Subquery(fed.values("demand__status")[:1]),
        demand_id=Subquery(fed.values("demand_id")[:1]),
    )
    if filters.statuses == ("open",):
        rows = rows.filter(Q(demand_status__isnull=True) | ~Q(demand_status__in=CLOSED))
    elif filters.statuses == ("closed",):
        rows = rows.filter(demand_status__in=CLOSED)
    return rows.order_by("-created_at", "-pk")


def _split_ids(ids: tuple[str, ...]) -> tuple[list[int] | None, list[int] | None]:
    if not ids:
        return None, None
    demands, suggestions = [], []
    for value in ids:
        prefix, number = value[:1].upper(), value[1:]
        if not number.isdigit() or len(number) > 18:
            continue
        (demands if prefix == "D" else suggestions if prefix == "S" else []).append(
            int(number)
        )
    return demands, suggestions


def service_requests(
    *, filters: RequestFilters, limit: int = MAX_REQUESTS
) -> list[dict]:
    """Demands and suggestions matching ``filters``, newest first."""
    demand_ids, suggestion_ids = _split_ids(filters.ids)
    demands = list(_demands(filters, demand_ids)[:limit])
    suggestions = list(_suggestions(filters, suggestion_ids)[:limit])
    streets = _streets(suggestions)
    rows = [(d.created_at, d.pk, _demand_request(d)) for d in demands]
    rows += [(s.created_at, s.pk, _suggestion_request(s, streets)) for s in suggestions]
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [request for _at, _pk, request in rows[:limit]]


def _streets(suggestions) -> dict[str, Area]:
    """The street above each suggestion's area finer than a street."""
    codes = set()
    for suggestion in suggestions:
        area = suggestion.area
        if area is not None and area.level > STREET:
            codes.add([c for c in area.path.split("/") if c][STREET - 1])
    return {a.code: a for a in Area.objects.filter(code__in=codes)}


def _place(area: Area | None, streets: dict[str, Area] | None = None):
    if area is None:
        return None
    if streets is not None and area.level > STREET:
        code = [c for c in area.path.split("/") if c][STREET - 1]
        return streets.get(code)
    return area


def _request(**fields) -> dict:
    request = dict.fromkeys(formats.REQUEST_FIELDS)
    request["service_notice"] = ""
    request.update(fields)
    return request


def _demand_request(demand: Demand) -> dict:
    place = _place(demand.area)
    return _request(
        service_request_id=f"D{demand.pk}",
        status="closed" if demand.status in CLOSED else "open",
        status_notes=demand.note or demand.get_status_display(),
        service_name=demand.topic.name if demand.topic else None,
        service_code=demand.topic.slug if demand.topic else None,
        description="\n\n".join(p for p in (demand.title, demand.summary) if p),
        agency_responsible=demand.department.name if demand.department else None,
        requested_datetime=iso(demand.created_at),
        updated_datetime=iso(demand.updated_at),
        address=place.name if place else None,
        address_id=place.code if place else None,
    )


def _suggestion_request(suggestion: Suggestion, streets: dict[str, Area]) -> dict:
    place = _place(suggestion.area, streets)
    closed = suggestion.demand_status in CLOSED
    return _request(
        service_request_id=f"S{suggestion.pk}",
        status="closed" if closed else "open",
        status_notes=(
            _("Grouped into demand D%(id)s") % {"id": suggestion.demand_id}
            if suggestion.demand_id
            else None
        ),
        service_name=suggestion.topic.name if suggestion.topic else None,
        service_code=suggestion.topic.slug if suggestion.topic else None,
        description="\n\n".join(p for p in (suggestion.title, suggestion.body) if p),
        requested_datetime=iso(suggestion.created_at),
        updated_datetime=iso(suggestion.updated_at),
        address=place.name if place else None,
        address_id=place.code if place else None,
        media_url=absolute(suggestion.photo.url) if suggestion.photo else None,
    )
