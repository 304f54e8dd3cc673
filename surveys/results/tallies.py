"""Results tallies (``surveys.models.Tally``): what one response adds to
them, applying that in the submitting transaction, and recounting them
from the raw responses and answers.

A response counts for its day, for each question it was shown and each
question it answered, for each option (and matrix row) chosen, for each
number or rating value, and for each pair of options chosen together where
one belongs to a single-choice question (the cross-tabs) — all under the
response's district. The submission service adds a new response's share
and, when an identified respondent changes their answers, takes the old
share away in the same statement, so the tallies always equal a recount
of what is stored (answers to questions hidden by logic are never stored,
so they are never counted).
"""

from datetime import date
from decimal import Decimal

from django.db import connection

from surveys.logic import Structure
from surveys.models import Answer, Question, Response, Survey, Tally

Kind = Tally.Kind
CENT = Decimal("0.01")
# The key columns in the order of the tally_key constraint, after survey.
KEY_COLUMNS = [
    "kind",
    "by_choice_id",
    "district_id",
    "question_id",
    "row_id",
    "choice_id",
    "number",
    "day",
]

TallyKey = tuple[
    str,
    int | None,
    int | None,
    int | None,
    int | None,
    int | None,
    Decimal | None,
    date | None,
]


def _key(
    kind: str,
    district: int | None,
    *,
    by_choice: int | None = None,
    question: int | None = None,
    row: int | None = None,
    choice: int | None = None,
    number: Decimal | None = None,
    day: date | None = None,
) -> TallyKey:
    return (kind, by_choice, district, question, row, choice, number, day)


def contribution(
    *, structure: Structure, response: Response, answers: list[Answer]
) -> dict[TallyKey, list[int]]:
    """What ``response`` with its stored ``answers`` adds to the tallies:
    {key: [count, total]}."""
    kinds = {q.pk: q.kind for q in structure.ordered_questions()}
    district = response.district_id
    share: dict[TallyKey, list[int]] = {}

    def add(key: TallyKey, total: int = 0) -> None:
        cell = share.setdefault(key, [0, 0])
        cell[0] += 1
        cell[1] += total

    add(_key(Kind.RESPONSES, district, day=response.submitted_on))
    for question in response.seen:
        add(_key(Kind.SEEN, district, question=question))
    for question in {a.question_id for a in answers}:
        add(_key(Kind.ANSWERED, district, question=question))
    for a in answers:
        if a.choice_id is not None:
            add(
                _key(
                    Kind.CHOICE,
                    district,
                    question=a.question_id,
                    row=a.row_id,
                    choice=a.choice_id,
                ),
                a.rank or 0,
            )
        if a.number is not None:
            number = Decimal(str(a.number)).quantize(CENT)
            add(_key(Kind.NUMBER, district, question=a.question_id, number=number))
    closed = [
        a
        for a in answers
        if a.choice_id is not None
        and kinds.get(a.question_id) in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    ]
    for source in closed:
        if kinds[source.question_id] != Question.Kind.SINGLE:
            continue
        for target in closed:
            if target.question_id != source.question_id:
                add(
                    _key(
                        Kind.PAIR,
                        district,
                        by_choice=source.choice_id,
                        question=target.question_id,
                        choice=target.choice_id,
                    )
                )
    return share


def _order(key: TallyKey) -> tuple:
    return tuple((value is not None, value) for value in key)


def record(
    *,
    survey: Survey,
    add: dict[TallyKey, list[int]],
    remove: dict[TallyKey, list[int]] | None = None,
) -> None:
    """Add ``add`` to the survey's tallies and take ``remove`` away, in one
    statement. Rows are written in key order, so concurrent submissions
    lock shared rows in the same order and cannot deadlock."""
    change = {key: list(value) for key, value in add.items()}
    for key, (count, total) in (remove or {}).items():
        cell = change.setdefault(key, [0, 0])
        cell[0] -= count
        cell[1] -= total
    rows = [
        (survey.pk, *key, count, total)
        for key, (count, total) in sorted(change.items(), key=lambda i: _order(i[0]))
        if count or total
    ]
    if not rows:
        return
    columns = ["survey_id", *KEY_COLUMNS, "count", "total"]
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    table = Tally._meta.db_table
    # Fixed text and placeholders; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608
        "ON CONFLICT ON CONSTRAINT tally_key DO UPDATE SET "
        f"count = {table}.count + EXCLUDED.count, "
        f"total = {table}.total + EXCLUDED.total"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


# A recount from the raw responses and answers, in the tally_key's columns
# (after survey) followed by count and total.
RECOUNT_SQL = """
SELECT 'responses', NULL::bigint, r.district_id, NULL::bigint, NULL::bigint,
       NULL::bigint, NULL::numeric, r.submitted_on, count(*), 0
  FROM surveys_response r WHERE r.survey_id = %(survey)s
 GROUP BY r.district_id, r.submitted_on
UNION ALL
SELECT 'seen', NULL, r.district_id, s.question, NULL, NULL, NULL, NULL,
       count(*), 0
  FROM surveys_response r CROSS JOIN LATERAL unnest(r.seen) AS s(question)
 WHERE r.survey_id = %(survey)s
 GROUP BY r.district_id, s.question
UNION ALL
SELECT 'answered', NULL, r.district_id, a.question_id, NULL, NULL, NULL, NULL,
       count(DISTINCT a.response_id), 0
  FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
 WHERE a.survey_id = %(survey)s
 GROUP BY r.district_id, a.question_id
UNION ALL
SELECT 'choice', NULL, r.district_id, a.question_id, a.row_id, a.choice_id,
       NULL, NULL, count(*), coalesce(sum(a.rank), 0)
  FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
 WHERE a.survey_id = %(survey)s AND a.choice_id IS NOT NULL
 GROUP BY r.district_id, a.question_id, a.row_id, a.choice_id
UNION ALL
SELECT 'number', NULL, r.district_id, a.question_id, NULL, NULL, a.number,
       NULL, count(*), 0
  FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
 WHERE a.survey_id = %(survey)s AND a.number IS NOT NULL
 GROUP BY r.district_id, a.question_id, a.number
UNION ALL
SELECT 'pair', b.choice_id, r.district_id, a.question_id, NULL, a.choice_id,
       NULL, NULL, count(*), 0
  FROM surveys_answer a
  JOIN surveys_question qa ON qa.id = a.question_id
   AND qa.kind IN ('single', 'multiple')
  JOIN surveys_answer b ON b.response_id = a.response_id
   AND b.question_id <> a.question_id AND b.choice_id IS NOT NULL
  JOIN surveys_question qb ON qb.id = b.question_id AND qb.kind = 'single'
  JOIN surveys_response r ON r.id = a.response_id
 WHERE a.survey_id = %(survey)s AND a.choice_id IS NOT NULL
 GROUP BY b.choice_id, r.district_id, a.question_id, a.choice_id
"""


def recount(*, survey: Survey) -> dict[TallyKey, tuple[int, int]]:
    """The tallies as counted afresh from the stored responses and answers
    (in SQL, independently of ``contribution``)."""
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT_SQL, {"survey": survey.pk})
        return {tuple(row[:-2]): (row[-2], row[-1]) for row in cursor.fetchall()}


def stored(*, survey: Survey) -> dict[TallyKey, tuple[int, int]]:
    """The survey's tallies as stored, leaving out those back at zero."""
    rows = (
        Tally.objects.filter(survey=survey)
        .exclude(count=0, total=0)
        .values_list(*KEY_COLUMNS, "count", "total")
    )
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows}


def rebuild(*, survey: Survey) -> None:
    """Replace the survey's tallies by a recount (after a bulk load, or to
    repair them)."""
    table = Tally._meta.db_table
    columns = ", ".join(["survey_id", *KEY_COLUMNS, "count", "total"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE survey_id = %s", [survey.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"SELECT %(survey)s, * FROM ({RECOUNT_SQL}) AS recount",
            {"survey": survey.pk},
        )
