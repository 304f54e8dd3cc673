"""Pure text checks for the automatic rules: normalisation, personal
information (Chinese mobile numbers, resident ID-card numbers with their
checksum, email addresses), links, and word/pattern matching.

No database here: screening.py feeds these the administrators' filters.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from opencc import OpenCC

# Digits may be written with spaces or dashes between groups: 138 1234 5678.
MOBILE = re.compile(
    r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)"
)
ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.ASCII)
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|cn|net|org|info|top|xyz|cc)\b",
    re.IGNORECASE,
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def normalise(text: str) -> str:
    """One form for every variant: NFKC folds full-width letters, digits
    and punctuation to half-width; case-folded; traditional → simplified."""
    return _t2s().convert(unicodedata.normalize("NFKC", text).casefold())


def id_card_valid(number: str) -> bool:
    """Whether an 18-character resident ID number has a correct check
    character (GB 11643-1999, ISO 7064 MOD 11-2)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def personal_info(text: str) -> list[str]:
    """The kinds of personal information found in ``text``: "phone",
    "id_card", "email" (each once, in that order)."""
    text = unicodedata.normalize("NFKC", text)
    found = []
    if MOBILE.search(text):
        found.append("phone")
    if any(id_card_valid(m.group(1)) for m in ID_CARD.finditer(text)):
        found.append("id_card")
    if EMAIL.search(text):
        found.append("email")
    return found


def has_link(text: str) -> bool:
    return bool(LINK.search(unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class Rule:
    pattern: str
    is_regex: bool
    action: str  # "block", "hold" or "allow"


@lru_cache(maxsize=512)
def _compiled(pattern: str, is_regex: bool) -> re.Pattern:
    source = normalise(pattern)
    return re.compile(source if is_regex else re.escape(source))


def pattern_check(pattern: str, *, is_regex: bool) -> None:
    """Refuse an empty pattern or a regular expression that does not
    compile, with a message for the administrator."""
    if not normalise(pattern).strip():
        raise ValidationError({"pattern": _("Enter a word or pattern.")})
    try:
        _compiled(pattern, is_regex)
    except re.error as error:
        raise ValidationError(
            {"pattern": _("This is not a valid pattern: %(error)s") % {"error": error}}
        ) from None


def match_words(text: str, rules: list[Rule]) -> tuple[str, str] | None:
    """The strongest action ("block" before "hold") that ``rules`` take on
    ``text`` and the words that matched, or None.

    Allow-listed phrases are blanked out first, so a blocked word inside
    an allowed phrase does not count.
    """
    text = normalise(text)
    for rule in rules:
        if rule.action == "allow":
            text = _compiled(rule.pattern, rule.is_regex).sub(" ", text)
    for action in ("block", "hold"):
        words = []
        for rule in rules:
            if rule.action != action:
                continue
            match = _compiled(rule.pattern, rule.is_regex).search(text)
            if match:
                words.append(match.group(0))
        if words:
            return action, "、".join(dict.fromkeys(words))
    return None
