"""Response exports (CSV, and XLSX with a codebook sheet) built by a
Celery task with progress.

One row per response and one column per question, or per option where a
question holds several values (multiple choice: 1/0 per option; ranking:
the rank per option; matrix: the chosen column per row). An "other" text
sits in the column right after its question. A question the respondent
was not shown is marked as such, never left blank.
"""

import csv
import io
import tempfile
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from civic.models import Area
from surveys import selectors, tasks
from surveys.logic import Structure
from surveys.models import Answer, Question, Response, Survey, SurveyExport

Kind = Question.Kind
CHUNK = 1000
NOT_SHOWN = "(not shown)"


@transaction.atomic
def export_request(*, user, survey: Survey, format: str) -> SurveyExport:
    if not user.has_perm("surveys.export_responses", survey):
        raise PermissionDenied(
            _("Only officials of the department can export responses.")
        )
    if format not in SurveyExport.Format.values:
        raise ValueError(format)
    job = SurveyExport.objects.create(survey=survey, requested_by=user, format=format)
    transaction.on_commit(lambda: tasks.export_build.delay(job_id=job.pk))
    return job


def columns(structure: Structure) -> list[dict]:
    """The export's columns after the response's own ones: each with its
    header, its question and what it reads from an answer."""
    result = []
    for number, question in enumerate(structure.ordered_questions(), start=1):
        code = f"Q{number}"
        options = structure.options.get(question.pk, [])
        base = {"question": question, "label": question.text_zh}
        if question.kind == Kind.MULTIPLE or question.kind == Kind.RANKING:
            for index, option in enumerate(options, start=1):
                result.append(
                    {
                        **base,
                        "code": f"{code}_{index}",
                        "choice": option.pk,
                        "label": f"{question.text_zh}: {option.text_zh}",
                    }
                )
        elif question.kind == Kind.MATRIX:
            for index, row in enumerate(structure.rows.get(question.pk, []), start=1):
                result.append(
                    {
                        **base,
                        "code": f"{code}_{index}",
                        "row": row.pk,
                        "label": f"{question.text_zh}: {row.text_zh}",
                    }
                )
        else:
            result.append({**base, "code": code})
        if any(o.is_other for o in options):
            result.append(
                {
                    **base,
                    "code": f"{code}_other",
                    "other": True,
                    "label": f"{question.text_zh}: {_('other, please specify')}",
                }
            )
    return result


def _cell(column, answers: list[Answer], choices: dict, areas: dict):
    question = column["question"]
    if column.get("other"):
        return next((a.text for a in answers if a.text), "")
    if "choice" in column:
        match = next((a for a in answers if a.choice_id == column["choice"]), None)
        if question.kind == Kind.RANKING:
            return match.rank if match else ""
        return 1 if match else 0
    if "row" in column:
        match = next((a for a in answers if a.row_id == column["row"]), None)
        return choices.get(match.choice_id, "") if match else ""
    if not answers:
        return ""
    answer = answers[0]
    if question.kind == Kind.SINGLE:
        return choices.get(answer.choice_id, "")
    if question.kind == Kind.RATING:
        return int(answer.number)
    if question.kind == Kind.NUMBER:
        return float(answer.number)
    if question.kind == Kind.DATE:
        return answer.date.isoformat()
    if question.kind == Kind.AREA:
        return areas.get(answer.area_id, "")
    return answer.text


def header() -> list[str]:
    return [_("Response"), _("Submitted on"), _("District")]


def rows(survey: Survey, structure: Structure, on_progress=None):
    """One list of cells per response, read in chunks."""
    cols = columns(structure)
    choices = {c.pk: c.text_zh for g in structure.options.values() for c in g}
    area_names = dict(
        Area.objects.filter(level__lte=Area.Level.DISTRICT).values_list("pk", "name_zh")
    )
    responses = Response.objects.filter(survey=survey).order_by("submitted_on", "id")
    done = 0
    batch = []
    for response in responses.iterator(chunk_size=CHUNK):
        batch.append(response)
        if len(batch) == CHUNK:
            yield from _rows_for(batch, cols, choices, area_names)
            done += len(batch)
            batch = []
            if on_progress:
                on_progress(done)
    if batch:
        yield from _rows_for(batch, cols, choices, area_names)


def _rows_for(batch, cols, choices, area_names):
    by_response = defaultdict(lambda: defaultdict(list))
    answers = Answer.objects.filter(response__in=[r.pk for r in batch]).order_by("pk")
    area_ids = set()
    for answer in answers:
        by_response[answer.response_id][answer.question_id].append(answer)
        if answer.area_id:
            area_ids.add(answer.area_id)
    missing = area_ids - set(area_names)
    if missing:
        area_names.update(
            Area.objects.filter(pk__in=missing).values_list("pk", "name_zh")
        )
    for response in batch:
        seen = set(response.seen)
        cells = [
            response.receipt_code,
            response.submitted_on.isoformat(),
            area_names.get(response.district_id, ""),
        ]
        for column in cols:
            question = column["question"]
            if question.pk not in seen:
                cells.append(NOT_SHOWN)
            else:
                answers = by_response[response.pk].get(question.pk, [])
                cells.append(_cell(column, answers, choices, area_names))
        yield cells


def _safe(value):
    # Cells starting with = + - @ would run as formulas in spreadsheets.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def codebook(structure: Structure) -> list[list]:
    """Code, question, type and the options' labels of every column."""
    lines = [
        [_("Column"), pgettext("survey codebook", "Question"), _("Type"), _("Values")]
    ]
    for column in columns(structure):
        question = column["question"]
        values = ""
        if question.kind in (Kind.SINGLE, Kind.MATRIX):
            values = " / ".join(
                c.text_zh for c in structure.options.get(question.pk, [])
            )
        elif question.kind == Kind.MULTIPLE and "choice" in column:
            values = _("1 = chosen, 0 = not chosen")
        elif question.kind == Kind.RANKING and "choice" in column:
            values = _("rank, 1 = first")
        elif question.kind == Kind.RATING:
            values = f"{question.scale_min}–{question.scale_max}"
        lines.append(
            [column["code"], column["label"], question.get_kind_display(), values]
        )
    lines.append(
        [
            "",
            _("%(marker)s: the question was not shown to this respondent.")
            % {"marker": NOT_SHOWN},
            "",
            "",
        ]
    )
    return lines


def export_build(*, job_id: int) -> SurveyExport:
    """Write the export file, updating progress as it goes."""
    job = SurveyExport.objects.select_related("survey").get(pk=job_id)
    if job.state == SurveyExport.State.DONE:
        return job
    survey = job.survey
    total = Response.objects.filter(survey=survey).count()
    SurveyExport.objects.filter(pk=job.pk).update(
        state=SurveyExport.State.RUNNING, total=total, done=0
    )
    structure = selectors.structure(survey=survey)

    def progress(done):
        SurveyExport.objects.filter(pk=job.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as handle:
            writer = (
                _write_csv if job.format == SurveyExport.Format.CSV else _write_xlsx
            )
            writer(handle, survey, structure, progress)
            handle.seek(0)
            job.file.save(
                f"survey-{survey.pk}-responses.{job.format}", File(handle), save=False
            )
    except Exception as error:
        SurveyExport.objects.filter(pk=job.pk).update(
            state=SurveyExport.State.FAILED, error=str(error)[:2000]
        )
        raise
    job.state, job.done, job.finished_at = (
        SurveyExport.State.DONE,
        total,
        timezone.now(),
    )
    job.save(update_fields=["file", "state", "done", "finished_at"])
    return job


def _header_row(structure) -> list[str]:
    return header() + [c["code"] for c in columns(structure)]


def _write_csv(handle, survey, structure, progress) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(_header_row(structure))
    writer.writerow(["", "", ""] + [c["label"] for c in columns(structure)])
    for row in rows(survey, structure, progress):
        writer.writerow([_safe(v) for v in row])
    text.flush()
    text.detach()


def _write_xlsx(handle, survey, structure, progress) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Responses"))
    sheet.append(_header_row(structure))
    for row in rows(survey, structure, progress):
        sheet.append([_safe(v) for v in row])
    book = workbook.create_sheet(_("Codebook"))
    for line in codebook(structure):
        book.append([_safe(v) for v in line])
    workbook.save(handle)
