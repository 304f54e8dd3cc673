"""Turning what a browser sent for a question into a cleaned answer.

Raw answers are the posted fields that belong to a question (``q12``,
``q12_other``, ``q12_r34``, ``q12_c56``, ``q12_district``…), kept as lists
of strings so a draft can hold them as they were typed. Cleaned answers are
small JSON-able dicts:

=========== ============================================
single      {"choice": id, "other": text}
multiple    {"choices": [id, ...], "other": text}
rating      {"number": int}
number      {"number": "12.50"}
ranking     {"ranking": [id, ...]}  (first = rank 1)
matrix      {"rows": {"row id": column id, ...}}
text        {"text": text}
date        {"date": "2026-05-01"}
area        {"area": id, "district": id}
=========== ============================================
"""

import itertools
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.models import Area
from surveys.logic import Structure
from surveys.models import Question
from surveys.models.structure import LONG_TEXT_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH

Kind = Question.Kind
OTHER_MAX_LENGTH = 200
FIELD_NAME = re.compile(r"^q(\d+)(?:_[a-z]+\d*)?$")
NUMBER_LIMIT = Decimal("9999999999.99")


def raw_from_post(question: Question, data) -> dict:
    """The posted fields that belong to ``question``, as lists of strings."""
    prefix = question.field_name
    return {
        key: [str(v) for v in data.getlist(key)]
        for key in data
        if key == prefix or key.startswith(prefix + "_")
    }


def posted_question_ids(data) -> set[int]:
    """Every question id the posted field names mention."""
    ids = set()
    for key in data:
        match = FIELD_NAME.match(key)
        if match:
            ids.add(int(match.group(1)))
    return ids


def _one(raw: dict, key: str) -> str:
    values = [v.strip() for v in raw.get(key, []) if v.strip()]
    if len(values) > 1:
        raise ValidationError(_("Choose only one answer."))
    return values[0] if values else ""


def _int(value: str, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(message) from error


def _text(value: str, limit: int) -> str:
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        raise ValidationError(
            ngettext(
                "Please keep your answer to %(limit)d character (it has %(n)d).",
                "Please keep your answer to %(limit)d characters (it has %(n)d).",
                limit,
            )
            % {"limit": limit, "n": len(value)}
        )
    return value


def _other(question, raw, options, chosen: list[int]) -> str:
    other_ids = {c.pk for c in options if c.is_other}
    text = _text(_one_text(raw, f"{question.field_name}_other"), OTHER_MAX_LENGTH)
    if other_ids & set(chosen):
        if not text:
            raise ValidationError(_("Please say what “other” means for you."))
        return text
    return ""


def _one_text(raw: dict, key: str) -> str:
    return "\n".join(raw.get(key, []))


def clean_answer(question: Question, raw: dict, structure: Structure) -> dict | None:
    """The cleaned answer, None when unanswered; ValidationError when the
    input cannot be an answer to this question."""
    cleaner = CLEANERS[question.kind]
    return cleaner(question, raw, structure)


def check_required(question: Question, cleaned: dict | None) -> None:
    if question.required and cleaned is None:
        raise ValidationError(_("This question needs an answer."))


def _single(question, raw, structure):
    options = structure.options.get(question.pk, [])
    value = _one(raw, question.field_name)
    if not value:
        return None
    choice = _int(value, _("Choose one of the options shown."))
    if choice not in {c.pk for c in options}:
        raise ValidationError(_("Choose one of the options shown."))
    return {"choice": choice, "other": _other(question, raw, options, [choice])}


def _multiple(question, raw, structure):
    options = structure.options.get(question.pk, [])
    values = [v for v in raw.get(question.field_name, []) if v.strip()]
    if not values:
        return None
    chosen = [_int(v, _("Choose among the options shown.")) for v in values]
    if not set(chosen) <= {c.pk for c in options}:
        raise ValidationError(_("Choose among the options shown."))
    if len(set(chosen)) != len(chosen):
        raise ValidationError(_("Each option can be chosen only once."))
    low, high = question.min_choices, question.max_choices
    if low and len(chosen) < low:
        raise ValidationError(
            ngettext(
                "Choose at least %(n)d option.", "Choose at least %(n)d options.", low
            )
            % {"n": low}
        )
    if high and len(chosen) > high:
        raise ValidationError(
            ngettext(
                "Choose at most %(n)d option.", "Choose at most %(n)d options.", high
            )
            % {"n": high}
        )
    order = {c.pk: i for i, c in enumerate(options)}
    chosen.sort(key=order.__getitem__)
    return {"choices": chosen, "other": _other(question, raw, options, chosen)}


def _rating(question, raw, structure):
    value = _one(raw, question.field_name)
    if not value:
        return None
    message = _("Choose a value from %(low)d to %(high)d.") % {
        "low": question.scale_min,
        "high": question.scale_max,
    }
    number = _int(value, message)
    if not question.scale_min <= number <= question.scale_max:
        raise ValidationError(message)
    return {"number": number}


def _number(question, raw, structure):
    value = _one(raw, question.field_name).replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number, such as 12 or 3.5.")) from error
    if not number.is_finite() or abs(number) > NUMBER_LIMIT:
        raise ValidationError(_("Enter a number, such as 12 or 3.5."))
    low, high = question.number_min, question.number_max
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(_range_message(low, high))
    return {"number": str(number.quantize(Decimal("0.01")))}


def _range_message(low, high) -> str:
    if low is not None and high is not None:
        return _("Enter a number from %(low)s to %(high)s.") % {
            "low": _plain(low),
            "high": _plain(high),
        }
    if low is not None:
        return _("Enter a number of at least %(low)s.") % {"low": _plain(low)}
    return _("Enter a number of at most %(high)s.") % {"high": _plain(high)}


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _ranking(question, raw, structure):
    options = structure.options.get(question.pk, [])
    ranks = {}
    for choice in options:
        value = _one(raw, f"{question.field_name}_c{choice.pk}")
        if value:
            ranks[choice.pk] = _int(value, _("Give each option a rank number."))
    if not ranks:
        return None
    if len(ranks) != len(options):
        raise ValidationError(_("Give every option a rank."))
    if sorted(ranks.values()) != list(range(1, len(options) + 1)):
        if len(set(ranks.values())) != len(ranks):
            raise ValidationError(_("Each rank can be given to only one option."))
        raise ValidationError(
            _("Use the ranks 1 to %(n)d, each once.") % {"n": len(options)}
        )
    return {"ranking": sorted(ranks, key=ranks.__getitem__)}


def _matrix(question, raw, structure):
    columns = {c.pk for c in structure.options.get(question.pk, [])}
    rows, missing = {}, []
    for row in structure.rows.get(question.pk, []):
        value = _one(raw, f"{question.field_name}_r{row.pk}")
        if not value:
            missing.append(row.text)
            continue
        column = _int(value, _("Choose one of the options shown."))
        if column not in columns:
            raise ValidationError(_("Choose one of the options shown."))
        rows[str(row.pk)] = column
    if not rows:
        return None
    if missing:
        raise ValidationError(
            _("Answer every row; missing: %(rows)s.") % {"rows": "、".join(missing)}
        )
    return {"rows": rows}


def _short_text(question, raw, structure):
    text = _text(_one_text(raw, question.field_name), SHORT_TEXT_MAX_LENGTH)
    return {"text": text} if text else None


def _long_text(question, raw, structure):
    text = _text(_one_text(raw, question.field_name), LONG_TEXT_MAX_LENGTH)
    return {"text": text} if text else None


def _date(question, raw, structure):
    value = _one(raw, question.field_name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(_("Enter a date such as 2026-05-01.")) from error
    if not date(1900, 1, 1) <= day <= date(2100, 12, 31):
        raise ValidationError(_("Enter a date between 1900 and 2100."))
    return {"date": day.isoformat()}


def _area(question, raw, structure):
    name = question.field_name
    picked = [
        _one(raw, f"{name}_{part}") for part in ("district", "street", "community")
    ]
    if not picked[0]:
        if any(picked):
            raise ValidationError(_("Choose a district first."))
        return None
    ids = [_int(v, _("Choose an area from the lists.")) for v in picked if v]
    areas = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    chain = [areas.get(pk) for pk in ids]
    if None in chain or chain[0].level != Area.Level.DISTRICT:
        raise ValidationError(_("Choose an area from the lists."))
    for parent, child in itertools.pairwise(chain):
        if child.parent_id != parent.pk:
            raise ValidationError(
                _("“%(child)s” is not in “%(parent)s”; update the lists.")
                % {"child": child.name, "parent": parent.name}
            )
    return {"area": chain[-1].pk, "district": chain[0].pk}


CLEANERS = {
    Kind.SINGLE: _single,
    Kind.MULTIPLE: _multiple,
    Kind.RATING: _rating,
    Kind.NUMBER: _number,
    Kind.RANKING: _ranking,
    Kind.MATRIX: _matrix,
    Kind.SHORT_TEXT: _short_text,
    Kind.LONG_TEXT: _long_text,
    Kind.DATE: _date,
    Kind.AREA: _area,
}
