"""Full-text search that works for Chinese and English.

Chinese has no spaces between words, so text is segmented with jieba and the
space-joined tokens go into a ``tsvector`` built with PostgreSQL's ``simple``
configuration (no stemming, no stop words: it indexes exactly the tokens).
Queries are segmented the same way, so both sides agree on the words.
"""

import re
import unicodedata

import jieba
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

jieba.setLogLevel(60)  # jieba prints its dictionary loading otherwise.

_WORD = re.compile(r"\w", re.UNICODE)
MAX_QUERY_TOKENS = 12


def normalise(text: str) -> str:
    """NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``: jieba's search-mode segmentation, keeping
    only tokens that contain a letter, digit or CJK character."""
    return [
        token.strip()
        for token in jieba.cut_for_search(normalise(text))
        if token.strip() and _WORD.search(token)
    ]


def document_vector(*weighted_texts: tuple[str, str]) -> SearchVector:
    """A tsvector expression for texts with weights, e.g. (title, "A")."""
    vectors = [
        SearchVector(Value(" ".join(tokens(text))), config="simple", weight=weight)
        for text, weight in weighted_texts
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def query(text: str) -> SearchQuery | None:
    """A query matching documents that contain every word of ``text``."""
    words = list(dict.fromkeys(tokens(text)))[:MAX_QUERY_TOKENS]
    if not words:
        return None
    # Each token is quoted as a tsquery lexeme, so no operator can be
    # injected through the search box.
    lexemes = " & ".join(
        "'" + word.replace("'", "''").replace("\\", "") + "'" for word in words
    )
    return SearchQuery(lexemes, config="simple", search_type="raw")


def highlight(text: str, needle: str, *, limit: int | None = None) -> SafeString:
    """``text`` escaped, with the words of ``needle`` wrapped in <mark>."""
    words = sorted(
        {w for w in tokens(needle) if len(w) > 1 or not w.isascii()},
        key=len,
        reverse=True,
    )
    if limit and len(text) > limit:
        text = _excerpt(text, words, limit)
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


def _excerpt(text: str, words: list[str], limit: int) -> str:
    lowered = text.lower()
    positions = [lowered.find(w.lower()) for w in words if w.lower() in lowered]
    start = max(0, min(positions) - limit // 3) if positions else 0
    excerpt = text[start : start + limit]
    return ("…" if start else "") + excerpt + ("…" if start + limit < len(text) else "")
