"""Benchmark data: the demo's elderly-care survey, anonymous, with 100,000
responses spread over every district and thirty days, loaded with COPY.

Each response is drawn like the demo's, passed through the same logic
(hidden questions' answers discarded) and turned into rows by the same
``answer_rows`` as a real submission, so the results page reads the shape
of data residents would leave.
"""

import hashlib
import random
import uuid
from datetime import timedelta
from operator import attrgetter

from django.db import connection, transaction
from django.utils import timezone

from civic.models import Area, Department
from surveys import demo, logic, selectors
from surveys.models import Answer, Draft, Participation, Response, Survey, Tally
from surveys.results import tallies
from surveys.services.answering import answer_rows

TITLE_ZH = "全市社区养老服务需求调查（基准测试）"
TITLE_EN = "Citywide elderly-care needs survey (benchmark)"
RESPONSES = 100_000
DAYS = 30
BATCH = 10_000
ANSWER_FIELDS = [
    "response",
    "survey",
    "question",
    "choice",
    "row",
    "rank",
    "number",
    "text",
    "date",
    "area",
]
answer_values = attrgetter(
    *(Answer._meta.get_field(name).attname for name in ANSWER_FIELDS)
)


def bench_survey() -> Survey | None:
    return Survey.objects.filter(title_zh=TITLE_ZH).first()


@transaction.atomic
def seed(*, count: int = RESPONSES, seed: int = 2026) -> Survey:
    """Create the benchmark survey with ``count`` anonymous responses and
    count them in its results tallies; the results are published."""
    department = (
        Department.objects.filter(slug="civil-affairs").first()
        or Department.objects.order_by("pk").first()
    )
    survey = demo.build(department)
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(
        title_zh=TITLE_ZH,
        title_en=TITLE_EN,
        mode=Survey.Mode.ANONYMOUS,
        consultation=None,
        opens_at=now - timedelta(days=DAYS),
        closes_at=now + timedelta(days=DAYS),
        published_at=now - timedelta(days=DAYS + 1),
        results_published_at=now - timedelta(days=1),
        started_count=count + count // 5,
    )
    survey.refresh_from_db()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    structure = selectors.structure(survey=survey)
    districts = list(Area.objects.filter(level=Area.Level.DISTRICT).order_by("code"))
    area_question = structure.ordered_questions()[0].pk
    today = timezone.localdate()
    for start in range(0, count, BATCH):
        responses, participations, answers = [], [], []
        for _ in range(min(BATCH, count - start)):
            cleaned = demo.random_answers(structure, rng, districts)
            seen = logic.visibility(structure, cleaned)
            cleaned = logic.prune(cleaned, seen)
            day = today - timedelta(days=int(rng.triangular(0, DAYS, 0)))
            response = Response(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                survey_id=survey.pk,
                district_id=cleaned[area_question]["district"],
                seen=sorted(seen.questions),
                submitted_on=min(day, today),
            )
            responses.append(
                (
                    response.id,
                    survey.pk,
                    response.district_id,
                    response.seen,
                    response.submitted_on,
                )
            )
            token = rng.getrandbits(128).to_bytes(16, "big")
            participations.append(
                (
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    survey.pk,
                    hashlib.sha256(token).hexdigest(),
                    response.submitted_on,
                )
            )
            answers += map(answer_values, answer_rows(response, structure, cleaned))
        _copy(Response, ["id", "survey", "district", "seen", "submitted_on"], responses)
        _copy(Participation, ["id", "survey", "browser", "on_date"], participations)
        _copy(Answer, ANSWER_FIELDS, answers)
    tallies.rebuild(survey=survey)
    return survey


def _copy(model, fields: list[str], rows) -> None:
    """COPY ``rows`` (tuples in ``fields`` order) into ``model``'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def analyze(*, vacuum: bool = False) -> None:
    """Refresh the planner's statistics of the tables just loaded (and,
    outside a transaction, set their visibility maps with VACUUM)."""
    command = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for model in (Response, Answer, Participation, Tally):
            cursor.execute(f"{command} {model._meta.db_table}")


@transaction.atomic
def reset() -> None:
    """Delete the benchmark survey; its big tables go in plain DELETEs (the
    ORM would load every response to cascade)."""
    survey = bench_survey()
    if survey is None:
        return
    with connection.cursor() as cursor:
        for model in (Tally, Answer, Response, Participation, Draft):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE survey_id = %s",  # noqa: S608
                [survey.pk],
            )
    survey.delete()
