from django import template

from consultations import text

register = template.Library()


@register.filter
def markdown(value: str):
    """Render a small, sanitised Markdown subset."""
    return text.render_markdown(value)
