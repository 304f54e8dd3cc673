"""Survey results from the results tallies (``surveys.results.tallies``),
in one grouped query whatever the number of responses: counts and
percentages per option, mean, median and distribution of scales and
numbers, ranking scores, matrix tables.

Percentages are of the respondents who were shown the question (``seen``),
so a question hidden by logic is not counted as skipped.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from surveys.logic import Structure
from surveys.models import Question, Survey, Tally

Kind = Question.Kind
NUMBER_BUCKETS = 5


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    seen: int = 0
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    ranking: list[dict] = field(default_factory=list)
    matrix: dict = field(default_factory=dict)
    has_other: bool = False

    @property
    def skipped(self) -> int:
        return self.seen - self.answered

    @property
    def has_chart(self) -> bool:
        return bool(self.bars)


def _tallies(survey: Survey, district: int | None):
    """Every tally but the cross-tab pairs, summed over the districts (or of
    one district), leaving out what is back at zero."""
    tallies = Tally.objects.filter(survey=survey).exclude(kind=Tally.Kind.PAIR)
    if district:
        tallies = tallies.filter(district_id=district)
    return (
        tallies.values_list("kind", "question", "row", "choice", "number", "day")
        .annotate(n=Sum("count"), total=Sum("total"))
        .filter(n__gt=0)
    )


@dataclass
class Counts:
    """The tallies of a survey (or one district), by what they count."""

    responses: int = 0
    days: dict = field(default_factory=dict)
    seen: dict = field(default_factory=dict)
    answered: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    rank_totals: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)


def counts(survey: Survey, district: int | None = None) -> Counts:
    result = Counts()
    rows = _tallies(survey, district)
    for kind, question, row, choice, number, day, n, total in rows:
        if kind == Tally.Kind.RESPONSES:
            result.responses += n
            result.days[day] = n
        elif kind == Tally.Kind.SEEN:
            result.seen[question] = n
        elif kind == Tally.Kind.ANSWERED:
            result.answered[question] = n
        elif kind == Tally.Kind.CHOICE:
            result.cells[(question, row, choice)] = n
            result.rank_totals[(question, choice)] = total
        elif kind == Tally.Kind.NUMBER:
            result.values.setdefault(question, []).append((number, n))
    for values in result.values.values():
        values.sort()
    return result


def _median(values: list[tuple[Decimal, int]]) -> Decimal:
    """The median of sorted (value, count) pairs, interpolated between the
    two middle values like PostgreSQL's percentile_cont(0.5)."""
    size = sum(n for _v, n in values)
    position = Decimal(size - 1) / 2
    low_index, high_index = int(position), int(position) + (position % 1 > 0)
    low = high = None
    seen = 0
    for value, n in values:
        if low is None and low_index < seen + n:
            low = value
        if high_index < seen + n:
            high = value
            break
        seen += n
    return low + (high - low) * (position - low_index)


def _numeric(values: list[tuple[Decimal, int]]) -> dict:
    size = sum(n for _v, n in values)
    return {
        "mean": sum(v * n for v, n in values) / size,
        "median": _median(values),
        "lo": values[0][0],
        "hi": values[-1][0],
    }


def _histogram(values: list[tuple[Decimal, int]]) -> dict:
    """Bucket (1..NUMBER_BUCKETS) → count, buckets spread evenly between the
    smallest and largest answer, like PostgreSQL's width_bucket."""
    low, high = values[0][0], values[-1][0]
    if high <= low:
        high = low + 1
    buckets: dict[int, int] = {}
    for value, n in values:
        bucket = int((value - low) * NUMBER_BUCKETS // (high - low)) + 1
        bucket = min(bucket, NUMBER_BUCKETS)
        buckets[bucket] = buckets.get(bucket, 0) + n
    return {"bounds": (low, high), "counts": buckets}


def survey_results(
    *, survey: Survey, structure: Structure, district: int | None = None
) -> dict:
    """Every question's result for the survey (optionally one district),
    the number of responses and the responses per day (``over_time``)."""
    tallied = counts(survey, district)
    results = []
    for question in structure.ordered_questions():
        result = QuestionResult(
            question=question,
            seen=tallied.seen.get(question.pk, 0),
            answered=tallied.answered.get(question.pk, 0),
        )
        _fill(result, structure, tallied)
        results.append(result)
    return {
        "responses": tallied.responses,
        "questions": results,
        "over_time": _over_time(tallied.days),
    }


def _fill(result: QuestionResult, structure: Structure, tallied: Counts) -> None:
    question = result.question
    cells = tallied.cells
    options = structure.options.get(question.pk, [])
    result.has_other = any(c.is_other for c in options)
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        result.bars = [
            Bar(c.text, n, percent(n, result.seen))
            for c in options
            for n in [cells.get((question.pk, None, c.pk), 0)]
        ]
    elif question.kind == Kind.MATRIX:
        rows = structure.rows.get(question.pk, [])
        result.matrix = {
            "columns": [c.text for c in options],
            "rows": [
                {
                    "label": row.text,
                    "cells": [
                        (n, percent(n, total))
                        for c in options
                        for n in [cells.get((question.pk, row.pk, c.pk), 0)]
                    ],
                    "total": total,
                }
                for row in rows
                for total in [
                    sum(cells.get((question.pk, row.pk, c.pk), 0) for c in options)
                ]
            ],
        }
    elif question.kind == Kind.RANKING:
        size = len(options)
        scored = []
        for c in options:
            n = cells.get((question.pk, None, c.pk), 0)
            total = tallied.rank_totals.get((question.pk, c.pk), 0)
            scored.append(
                {
                    "label": c.text,
                    "count": n,
                    "average_rank": round(total / n, 2) if n else None,
                    "borda": n * size - total,
                }
            )
        result.ranking = sorted(scored, key=lambda r: -r["borda"])
        result.bars = [
            Bar(
                r["label"],
                r["borda"],
                percent(r["borda"], max(1, result.answered * (size - 1))),
            )
            for r in result.ranking
        ]
    values = tallied.values.get(question.pk)
    if question.kind in Question.NUMERIC_KINDS and values:
        numeric = _numeric(values)
        result.mean = round(numeric["mean"], 2)
        result.median = round(numeric["median"], 2)
        result.minimum, result.maximum = numeric["lo"], numeric["hi"]
    if question.kind == Kind.RATING:
        ratings = {int(value): n for value, n in values or []}
        result.bars = [
            Bar(str(n), c, percent(c, result.seen))
            for n in question.scale
            for c in [ratings.get(n, 0)]
        ]
    elif question.kind == Kind.NUMBER and values:
        histogram = _histogram(values)
        lo, hi = histogram["bounds"]
        width = (hi - lo) / NUMBER_BUCKETS
        result.bars = [
            Bar(
                f"{_plain(lo + width * i)}–{_plain(lo + width * (i + 1))}",
                c,
                percent(c, result.seen),
            )
            for i in range(NUMBER_BUCKETS)
            for c in [histogram["counts"].get(i + 1, 0)]
        ]


def _plain(number) -> str:
    return format(Decimal(number).quantize(Decimal("0.01")).normalize(), "f")


def _over_time(days: dict) -> list[Bar]:
    """Responses per day, oldest first."""
    total = sum(days.values())
    return [
        Bar(day.isoformat(), n, percent(n, total)) for day, n in sorted(days.items())
    ]
