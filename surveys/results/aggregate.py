"""Survey results in a fixed number of grouped queries, whatever the number
of responses or questions: counts and percentages per option, mean, median
and distribution of scales and numbers, ranking scores, matrix tables.

Percentages are of the respondents who were shown the question (``seen``),
so a question hidden by logic is not counted as skipped.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DecimalField, Max, Min, Sum

from surveys.logic import Structure
from surveys.models import Answer, Question, Response, Survey

Kind = Question.Kind
NUMBER_BUCKETS = 5


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DecimalField()


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


def _responses(survey: Survey, district: int | None):
    responses = Response.objects.filter(survey=survey)
    if district:
        responses = responses.filter(district_id=district)
    return responses


def _answers(survey: Survey, district: int | None):
    answers = Answer.objects.filter(survey=survey)
    if district:
        answers = answers.filter(response__district_id=district)
    return answers


def seen_counts(survey: Survey, district: int | None = None) -> dict[int, int]:
    """How many responses were shown each question (one query)."""
    # Fixed text; the values are parameters.
    sql = (
        "SELECT q, count(*) FROM surveys_response, unnest(seen) AS q "  # noqa: S608
        "WHERE survey_id = %s"
        + (" AND district_id = %s" if district else "")
        + " GROUP BY q"
    )
    params = [survey.pk, district] if district else [survey.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _number_histograms(survey, district, questions, stats) -> dict:
    """(question, bucket) → count for number questions, buckets spread
    between each question's smallest and largest answer (one query)."""
    bounds = {}
    for question in questions:
        low, high = stats.get(question.pk, (None, None))
        if low is not None and high is not None:
            bounds[question.pk] = (low, high if high > low else low + 1)
    if not bounds:
        return {}
    values = ", ".join(["(%s, %s::numeric, %s::numeric)"] * len(bounds))
    params = [x for pk, (lo, hi) in bounds.items() for x in (pk, lo, hi)]
    district_sql = ""
    if district:
        district_sql = (
            " AND a.response_id IN (SELECT id FROM surveys_response "
            "WHERE survey_id = %s AND district_id = %s)"
        )
    # Fixed text and placeholders; the values are parameters.
    sql = (
        f"SELECT a.question_id, least(width_bucket(a.number, b.lo, b.hi, "  # noqa: S608
        f"{NUMBER_BUCKETS}), {NUMBER_BUCKETS}), count(*) "
        f"FROM surveys_answer a JOIN (VALUES {values}) AS b(q, lo, hi) "
        f"ON a.question_id = b.q WHERE a.survey_id = %s{district_sql} "
        f"GROUP BY 1, 2"
    )
    params.append(survey.pk)
    if district:
        params += [survey.pk, district]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = {(q, b): n for q, b, n in cursor.fetchall()}
    return {"counts": result, "bounds": bounds}


def survey_results(
    *, survey: Survey, structure: Structure, district: int | None = None
) -> dict:
    """Every question's result for the survey (optionally one district)."""
    questions = structure.ordered_questions()
    seen = seen_counts(survey, district)
    answers = _answers(survey, district)
    answered = dict(
        answers.values_list("question").annotate(n=Count("response", distinct=True))
    )
    cells = {}
    for question_id, row_id, choice_id, count in (
        answers.filter(choice__isnull=False)
        .values_list("question", "row", "choice")
        .annotate(n=Count("id"))
    ):
        cells[(question_id, row_id, choice_id)] = count
    numeric = {
        row["question"]: row
        for row in answers.filter(number__isnull=False)
        .values("question")
        .annotate(
            mean=Avg("number"),
            median=Median("number"),
            lo=Min("number"),
            hi=Max("number"),
        )
    }
    ratings = {
        (q, int(n)): count
        for q, n, count in answers.filter(question__kind=Kind.RATING)
        .values_list("question", "number")
        .annotate(c=Count("id"))
    }
    rankings = {
        (row["question"], row["choice"]): row
        for row in answers.filter(rank__isnull=False)
        .values("question", "choice")
        .annotate(n=Count("id"), total=Sum("rank"))
    }
    number_questions = [q for q in questions if q.kind == Kind.NUMBER]
    histograms = _number_histograms(
        survey,
        district,
        number_questions,
        {pk: (row["lo"], row["hi"]) for pk, row in numeric.items()},
    )
    results = []
    for question in questions:
        result = QuestionResult(
            question=question,
            seen=seen.get(question.pk, 0),
            answered=answered.get(question.pk, 0),
        )
        _fill(result, structure, cells, numeric, ratings, rankings, histograms)
        results.append(result)
    return {
        "responses": _responses(survey, district).count(),
        "questions": results,
    }


def _fill(result, structure, cells, numeric, ratings, rankings, histograms) -> None:
    question = result.question
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
            row = rankings.get((question.pk, c.pk))
            n, total = (row["n"], row["total"]) if row else (0, 0)
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
    if question.kind in Question.NUMERIC_KINDS and question.pk in numeric:
        row = numeric[question.pk]
        result.mean = round(row["mean"], 2)
        result.median = round(Decimal(row["median"]), 2)
        result.minimum, result.maximum = row["lo"], row["hi"]
    if question.kind == Kind.RATING:
        result.bars = [
            Bar(str(n), c, percent(c, result.seen))
            for n in question.scale
            for c in [ratings.get((question.pk, n), 0)]
        ]
    elif question.kind == Kind.NUMBER and question.pk in histograms.get("bounds", {}):
        lo, hi = histograms["bounds"][question.pk]
        width = (hi - lo) / NUMBER_BUCKETS
        result.bars = [
            Bar(
                f"{_plain(lo + width * i)}–{_plain(lo + width * (i + 1))}",
                c,
                percent(c, result.seen),
            )
            for i in range(NUMBER_BUCKETS)
            for c in [histograms["counts"].get((question.pk, i + 1), 0)]
        ]


def _plain(number) -> str:
    return format(Decimal(number).quantize(Decimal("0.01")).normalize(), "f")


def responses_over_time(*, survey: Survey, district: int | None = None) -> list[Bar]:
    days = (
        _responses(survey, district)
        .values_list("submitted_on")
        .annotate(n=Count("id"))
        .order_by("submitted_on")
    )
    rows = list(days)
    total = sum(n for _day, n in rows)
    return [Bar(day.isoformat(), n, percent(n, total)) for day, n in rows]
