"""Server-rendered SVG for the demand pages: the density tile chart of
areas and the monthly accountability chart, each drawn next to a data table
in its template. Shapes are built with ``format_html`` (escaped, never
localized: SVG coordinates must stay plain numbers), as surveys' charts are.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from demands import selectors

register = template.Library()

TILE_W, TILE_H, TILE_GAP = 104, 58, 6
TILE_COLUMNS = 6
MONTH_W, MONTH_GAP, BAR_W = 54, 10, 14
CHART_H, AXIS_H = 160, 34
SERIES = (
    ("received", "chart-received"),
    ("responded", "chart-responded"),
    ("resolved", "chart-resolved"),
)


def _short(name: str, limit: int = 7) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


@register.inclusion_tag("demands/_tile_chart.html")
def tile_chart(tiles, title: str, chart_id: str):
    """Areas as tiles in rows, shaded by their number of demands (the
    number is written in each tile: colour only repeats it)."""
    shapes = []
    for index, tile in enumerate(tiles):
        x = (index % TILE_COLUMNS) * (TILE_W + TILE_GAP)
        y = (index // TILE_COLUMNS) * (TILE_H + TILE_GAP)
        shapes.append(
            format_html(
                '<g class="tile tile-{}"><rect x="{}" y="{}" width="{}" height="{}"'
                ' rx="4"></rect><text x="{}" y="{}" class="tile-name">{}</text>'
                '<text x="{}" y="{}" class="tile-count">{}</text></g>',
                tile.level,
                x,
                y,
                TILE_W,
                TILE_H,
                x + 8,
                y + 22,
                _short(tile.area.name),
                x + 8,
                y + 46,
                tile.count,
            )
        )
    rows = max(1, (len(tiles) + TILE_COLUMNS - 1) // TILE_COLUMNS)
    columns = min(TILE_COLUMNS, max(1, len(tiles)))
    return {
        "shapes": format_html_join("", "{}", ((s,) for s in shapes)),
        "tiles": tiles,
        "title": title,
        "chart_id": chart_id,
        "width": columns * (TILE_W + TILE_GAP),
        "height": rows * (TILE_H + TILE_GAP),
    }


@register.inclusion_tag("demands/_month_chart.html")
def month_chart(months, title: str, chart_id: str):
    """Received, responded and resolved demands per month as grouped
    columns, with a legend (patterns repeat the colours)."""
    largest = max((m[name] for m in months for name, _css in SERIES), default=0) or 1
    shapes = []
    for index, month in enumerate(months):
        x0 = index * (MONTH_W + MONTH_GAP)
        for offset, (name, css) in enumerate(SERIES):
            height = round(CHART_H * month[name] / largest)
            x = x0 + offset * (BAR_W + 2)
            shapes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>'
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    x,
                    CHART_H - height,
                    BAR_W,
                    max(height, 1) if month[name] else 0,
                    css,
                    x,
                    CHART_H - height - 3,
                    month[name] or "",
                )
            )
        shapes.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label">{}</text>',
                x0,
                CHART_H + 18,
                month["month"][2:],
            )
        )
    legend = format_html_join(
        "",
        '<li><span class="legend-key {}" aria-hidden="true"></span> {}</li>',
        (
            ("chart-received", _("Received")),
            ("chart-responded", _("First responded")),
            ("chart-resolved", _("Resolved")),
        ),
    )
    return {
        "shapes": format_html_join("", "{}", ((s,) for s in shapes)),
        "months": months,
        "legend": legend,
        "title": title,
        "chart_id": chart_id,
        "width": max(1, len(months)) * (MONTH_W + MONTH_GAP),
        "height": CHART_H + AXIS_H,
    }


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (for links)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def days(value) -> str:
    """A number of days with one decimal, or a dash."""
    if value is None:
        return "–"
    return f"{value:.1f}"


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


@register.inclusion_tag("demands/_feeds.html")
def feeds_demand(source):
    """ "Feeds demand X (latest response)" for a resident's input (a
    comment, a suggestion…): two queries, on a page that shows one input."""
    demand, response = selectors.demand_fed_by(source)
    return {"demand": demand, "response": response}
