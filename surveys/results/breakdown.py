"""Breakdowns: responses by district, and cross-tabs of every closed
question by district or by another single-choice question."""

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from civic.models import Area
from surveys.logic import Structure
from surveys.models import Answer, Question, Response, Survey
from surveys.results.aggregate import Bar, percent

Kind = Question.Kind
CROSS_KINDS = (Kind.SINGLE, Kind.MULTIPLE)


def districts_answered(*, survey: Survey) -> list[Area]:
    """The districts responses came from, to filter by (two queries)."""
    ids = (
        Response.objects.filter(survey=survey, district__isnull=False)
        .values_list("district", flat=True)
        .distinct()
    )
    return list(Area.objects.filter(pk__in=list(ids)).order_by("code"))


def by_district(*, survey: Survey, districts: list[Area]) -> list[Bar]:
    counts = dict(
        Response.objects.filter(survey=survey)
        .values_list("district")
        .annotate(n=Count("id"))
    )
    total = sum(counts.values())
    bars = [
        Bar(d.name, counts.get(d.pk, 0), percent(counts.get(d.pk, 0), total))
        for d in districts
    ]
    if counts.get(None):
        bars.append(Bar(_("Unknown"), counts[None], percent(counts[None], total)))
    return bars


def breakdown_questions(structure: Structure) -> list[Question]:
    """Questions a cross-tab can be broken down by."""
    return [q for q in structure.ordered_questions() if q.kind == Kind.SINGLE]


def crosstab(
    *, survey: Survey, structure: Structure, by: str, districts: list[Area]
) -> list[dict]:
    """For each single or multiple choice question, a table of its options
    (rows) by district or by the options of question ``by`` (columns)."""
    if by == "district":
        columns = [(d.pk, d.name) for d in districts]
        counts = {
            (q, c, col): n
            for q, c, col, n in Answer.objects.filter(
                survey=survey, question__kind__in=CROSS_KINDS, choice__isnull=False
            )
            .values_list("question", "choice", "response__district")
            .annotate(n=Count("id"))
        }
    else:
        source = next(
            (q for q in breakdown_questions(structure) if str(q.pk) == by), None
        )
        if source is None:
            return []
        columns = [(c.pk, c.text) for c in structure.options.get(source.pk, [])]
        counts = _by_question(survey, source)
    tables = []
    for question in structure.ordered_questions():
        if question.kind not in CROSS_KINDS or (
            by != "district" and str(question.pk) == by
        ):
            continue
        rows = [
            {
                "label": option.text,
                "cells": [
                    counts.get((question.pk, option.pk, col), 0) for col, _l in columns
                ],
            }
            for option in structure.options.get(question.pk, [])
        ]
        tables.append(
            {
                "question": question,
                "columns": [label for _c, label in columns],
                "rows": rows,
                "totals": [
                    sum(r["cells"][i] for r in rows) for i in range(len(columns))
                ],
            }
        )
    return tables


def _by_question(survey: Survey, source: Question) -> dict:
    sql = (
        "SELECT a.question_id, a.choice_id, b.choice_id, count(*) "
        "FROM surveys_answer a JOIN surveys_answer b "
        "ON b.response_id = a.response_id AND b.question_id = %s "
        "JOIN surveys_question q ON q.id = a.question_id "
        "WHERE a.survey_id = %s AND a.choice_id IS NOT NULL "
        "AND q.kind IN ('single', 'multiple') GROUP BY 1, 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source.pk, survey.pk])
        return {(q, c, col): n for q, c, col, n in cursor.fetchall()}
