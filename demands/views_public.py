"""The public side of demands: the ranked list with its filters, density
chart and downloads, a demand's page, and the accountability dashboard."""

import csv
import io

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from civic import selectors as civic_selectors
from demands import selectors
from demands.forms import DashboardFilterForm, DemandFilterForm
from demands.models import Demand
from notifications import selectors as notification_selectors

DEMANDS_PER_PAGE = 20
SOURCES_PER_PAGE = 20
EXPORT_MAX_ROWS = 50_000
EXPORT_FORMATS = {"csv", "xlsx"}


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filters(request) -> tuple[DemandFilterForm, selectors.DemandFilters]:
    form = DemandFilterForm(request.GET or None)
    if not form.is_bound:
        return form, selectors.DemandFilters()
    return form, selectors.DemandFilters(**form.filters())


def demand_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.demand_list(filters=filters), DEMANDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The chart shows the children of the chosen area (the districts when
    # none is chosen), so a visitor can go down the tree from it.
    parent = filters.area
    if parent is not None and parent.level >= 5:
        parent = parent.parent
    tiles = selectors.density_by_area(filters=filters, parent=parent)
    query_string = _without_page(request)
    return render(
        request,
        "demands/demand_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "status_counts": [
                (Demand.Status(status).label, status, n)
                for status, n in selectors.demand_status_counts(filters=filters).items()
            ],
            "tiles": tiles,
            "tile_parent": parent,
            "query_string": query_string,
            "export_query": query_string,
        },
    )


# Downloads ----------------------------------------------------------------------


def _export_header() -> list[str]:
    return [
        pgettext("identifier", "Number"),
        _("Title"),
        _("Status"),
        _("Topic"),
        _("Area"),
        _("Department"),
        _("Residents"),
        _("Supports"),
        _("Inputs"),
        _("Campaign"),
        _("Score"),
        _("Received"),
        _("First response"),
        _("Resolved"),
        _("Link"),
    ]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _export_rows(request, filters):
    base = request.build_absolute_uri("/").rstrip("/")
    demands = selectors.demand_list(filters=filters)[:EXPORT_MAX_ROWS]
    for demand in demands.iterator(chunk_size=2000):
        yield [
            demand.pk,
            demand.title,
            demand.get_status_display(),
            demand.topic.name if demand.topic else "",
            demand.area.name if demand.area else "",
            demand.department.name if demand.department else "",
            demand.resident_count,
            demand.support_count,
            demand.input_count,
            _("yes") if demand.is_campaign else "",
            round(demand.score, 2),
            _when(demand.created_at),
            _when(demand.first_response_at),
            _when(demand.resolved_at),
            base + demand.get_absolute_url(),
        ]


class _Echo:
    def write(self, value):
        return value


def demand_export(request, fmt: str):
    """The filtered list as CSV (streamed) or XLSX, ranked as on the page."""
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("This format is not available."))
    _form, filters = _filters(request)
    name = f"demands-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # so spreadsheet programs read UTF-8
            yield writer.writerow(_export_header())
            for row in _export_rows(request, filters):
                yield writer.writerow(row)

        response = StreamingHttpResponse(
            lines(), content_type="text/csv; charset=utf-8"
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Demands"))
        sheet.append(_export_header())
        for row in _export_rows(request, filters):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=name
    )
    return response


# A demand's page --------------------------------------------------------------


def demand_detail(request, pk: int):
    demand = selectors.demand_for(pk=pk)
    if demand is None:
        raise Http404(_("There is no such demand."))
    sources = Paginator(
        selectors.demand_sources(demand=demand), SOURCES_PER_PAGE
    ).get_page(request.GET.get("page"))
    area_chain = (
        list(civic_selectors.area_ancestors(area=demand.area)) if demand.area else []
    )
    return render(
        request,
        "demands/demand_detail.html",
        {
            "demand": demand,
            "timeline": selectors.demand_timeline(demand=demand),
            "sources": sources,
            "area_chain": area_chain,
            "can_manage": request.user.has_perm("demands.view_console"),
            "following": notification_selectors.is_following_target(
                user=request.user, demand=demand
            ),
        },
    )


# Dashboard --------------------------------------------------------------------


def dashboard(request):
    form = DashboardFilterForm(request.GET or None)
    department = area = None
    if form.is_bound and form.is_valid():
        department = form.cleaned_data["department"]
        area = form.cleaned_data["district"]
    figures = selectors.dashboard(department=department, area=area)
    largest = max((m["received"] for m in figures.months), default=0) or 1
    return render(
        request,
        "demands/dashboard.html",
        {
            "form": form,
            "department": department,
            "area": area,
            "figures": figures,
            "largest": largest,
            "departments": selectors.department_breakdown()
            if department is None and area is None
            else [],
        },
    )
