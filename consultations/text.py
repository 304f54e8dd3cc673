"""User and official text: a small Markdown subset, always sanitised."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).disable(["image", "html_block", "html_inline"])

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}


def render_markdown(text: str) -> SafeString:
    """Markdown subset → sanitised HTML (links get rel=nofollow noopener)."""
    html = _md.render(text or "")
    # Headings inside user text are demoted so the page outline stays sane.
    for level in ("h1", "h2"):
        html = html.replace(f"<{level}>", "<h3>").replace(f"</{level}>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
