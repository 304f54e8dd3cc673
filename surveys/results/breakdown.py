"""Breakdowns: responses by district, and cross-tabs of every closed
question by district or by another single-choice question, read from the
results tallies."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from civic.models import Area
from surveys.logic import Structure
from surveys.models import Question, Survey, Tally
from surveys.results.aggregate import Bar, percent

Kind = Question.Kind
CROSS_KINDS = (Kind.SINGLE, Kind.MULTIPLE)


def responses_by_district(*, survey: Survey) -> dict[int | None, int]:
    """District id (None: unknown) → responses, for the districts that have
    any (one query)."""
    return dict(
        Tally.objects.filter(survey=survey, kind=Tally.Kind.RESPONSES)
        .values_list("district")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
    )


def districts_answered(*, survey: Survey, counts: dict | None = None) -> list[Area]:
    """The districts responses came from, to filter by (``counts`` from
    ``responses_by_district``, counted here when not given)."""
    if counts is None:
        counts = responses_by_district(survey=survey)
    ids = [pk for pk in counts if pk is not None]
    return list(Area.objects.filter(pk__in=ids).order_by("code"))


def by_district(
    *, survey: Survey, districts: list[Area], counts: dict | None = None
) -> list[Bar]:
    if counts is None:
        counts = responses_by_district(survey=survey)
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
    (rows) by district or by the options of question ``by`` (columns), and
    the same table transposed (``by_column``: one row per column) for paper,
    where dozens of districts fit down a page but not across it."""
    if by == "district":
        by_label = _("District")
        columns = [(d.pk, d.name) for d in districts]
        cross = [q.pk for q in structure.ordered_questions() if q.kind in CROSS_KINDS]
        counts = {
            (q, c, col): n
            for q, c, col, n in Tally.objects.filter(
                survey=survey,
                kind=Tally.Kind.CHOICE,
                question__in=cross,
                row__isnull=True,
            ).values_list("question", "choice", "district", "count")
        }
    else:
        source = next(
            (q for q in breakdown_questions(structure) if str(q.pk) == by), None
        )
        if source is None:
            return []
        by_label = source.text
        columns = [(c.pk, c.text) for c in structure.options.get(source.pk, [])]
        counts = _by_question(survey, source, structure)
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
        totals = [sum(r["cells"][i] for r in rows) for i in range(len(columns))]
        tables.append(
            {
                "question": question,
                "by_label": by_label,
                "columns": [label for _c, label in columns],
                "rows": rows,
                "totals": totals,
                "by_column": [
                    {
                        "label": label,
                        "cells": [r["cells"][i] for r in rows],
                        "total": totals[i],
                    }
                    for i, (_c, label) in enumerate(columns)
                ],
            }
        )
    return tables


def _by_question(survey: Survey, source: Question, structure: Structure) -> dict:
    """(question, option, option of ``source``) → responses that chose both."""
    by = [c.pk for c in structure.options.get(source.pk, [])]
    return {
        (q, c, col): n
        for q, c, col, n in Tally.objects.filter(
            survey=survey, kind=Tally.Kind.PAIR, by_choice__in=by
        )
        .values_list("question", "choice", "by_choice")
        .annotate(n=Sum("count"))
    }
