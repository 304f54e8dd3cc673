"""Server-rendered SVG bar charts (with the data table beside them in the
template) and small helpers for the survey pages."""

from django import template

register = template.Library()

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 130
CHART_WIDTH = 480


@register.inclusion_tag("surveys/_bar_chart.html")
def bar_chart(bars, title: str, chart_id: str, unit: str = ""):
    """Horizontal bars scaled to the largest count; labels are cut short
    in the picture, the table beside it holds them in full."""
    largest = max((bar.count for bar in bars), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    rows = []
    for index, bar in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        rows.append(
            {
                "bar": bar,
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "width": max(1, round(room * bar.count / largest)) if bar.count else 0,
                "value_x": LABEL_WIDTH + 6 + round(room * bar.count / largest) + 4,
                "short_label": bar.label
                if len(bar.label) <= 12
                else bar.label[:11] + "…",
            }
        )
    return {
        "rows": rows,
        "title": title,
        "chart_id": chart_id,
        "unit": unit,
        "width": CHART_WIDTH,
        "height": max(1, len(bars)) * (BAR_HEIGHT + GAP),
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 6,
        "bar_height": BAR_HEIGHT,
    }


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
