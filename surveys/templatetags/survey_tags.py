"""Server-rendered SVG bar charts (with the data table beside them in the
template) and small helpers for the survey pages."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 130
CHART_WIDTH = 480


@register.inclusion_tag("surveys/_bar_chart.html")
def bar_chart(bars, title: str, chart_id: str, unit: str = ""):
    """Horizontal bars scaled to the largest count; labels are cut short
    in the picture, the table beside it holds them in full.

    Each bar's SVG shapes and table row are built here with ``format_html``
    (escaped, never localized: SVG coordinates must stay plain numbers), as
    a results page draws a few hundred of them.
    """
    largest = max((bar.count for bar in bars), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bar_x = LABEL_WIDTH + 6
    rows = []
    for index, bar in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 6
        length = round(room * bar.count / largest)
        short = bar.label if len(bar.label) <= 12 else bar.label[:11] + "…"
        rows.append(
            {
                "bar": bar,
                "shapes": format_html(
                    '<text x="0" y="{}" class="chart-label">{}</text>'
                    '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar">'
                    "</rect>"
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    text_y,
                    short,
                    bar_x,
                    y,
                    max(1, length) if bar.count else 0,
                    BAR_HEIGHT,
                    bar_x + length + 4,
                    text_y,
                    bar.count,
                ),
                "table_row": format_html(
                    '<tr><th scope="row">{}</th><td>{}</td><td>{}%</td></tr>',
                    bar.label,
                    bar.count,
                    bar.percent,
                ),
            }
        )
    return {
        "rows": rows,
        "title": title,
        "chart_id": chart_id,
        "unit": unit,
        "width": CHART_WIDTH,
        "height": max(1, len(bars)) * (BAR_HEIGHT + GAP),
    }


@register.filter
def cells(values) -> str:
    """Table cells (``<td>``) of plain numbers, for the wide cross-tabs."""
    return format_html_join("", "<td>{}</td>", ((value,) for value in values))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (for links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
