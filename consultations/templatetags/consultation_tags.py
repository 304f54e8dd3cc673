import uuid

from django import template

from consultations import search, text

register = template.Library()
HIGHLIGHT_LIMIT = 240


@register.filter
def markdown(value: str):
    """Render a small, sanitised Markdown subset."""
    return text.render_markdown(value)


@register.filter
def highlight(value: str, query: str):
    """``value`` escaped, with the words of ``query`` marked; long text is
    cut to an excerpt around the first match."""
    return search.highlight(value or "", query or "", limit=HIGHLIGHT_LIMIT)


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh key for one rendered form, so a resubmission stores once."""
    return str(uuid.uuid4())
