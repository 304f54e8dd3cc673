"""Comment exports (CSV and XLSX) built in the background with progress."""

import csv
import io
import tempfile
import uuid

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.models import User
from consultations import tasks
from consultations.models import Comment, Consultation, ExportJob
from consultations.services.errors import ValidationError, require

CHUNK = 2000
PROGRESS_EVERY = 5000


@transaction.atomic
def export_request(*, user: User, consultation: Consultation, format: str) -> ExportJob:
    require(
        user,
        "consultations.export_comments",
        consultation,
        _("Only officials of the department can export comments."),
    )
    if format not in ExportJob.Format.values:
        raise ValidationError({"format": _("Choose CSV or Excel (XLSX).")})
    job = ExportJob.objects.create(
        consultation=consultation, requested_by=user, format=format
    )
    transaction.on_commit(lambda: tasks.export_build.delay(job_id=job.pk))
    return job


def _header() -> list[str]:
    return [
        _("ID"),
        _("Reply to"),
        _("Section"),
        _("Stance"),
        _("Comment"),
        _("Author"),
        _("Area"),
        _("District"),
        _("Official reply by"),
        _("Supports"),
        _("Status"),
        _("Posted at"),
        _("Edited at"),
    ]


def _rows(consultation: Consultation):
    comments = (
        Comment.objects.filter(consultation=consultation)
        .select_related(
            "author", "section", "author_area", "author_district", "official_department"
        )
        .order_by("pk")
    )
    for c in comments.iterator(chunk_size=CHUNK):
        yield [
            c.pk,
            c.parent_id or "",
            str(c.section) if c.section_id else "",
            c.get_stance_display() if c.stance else "",
            c.body,
            c.author.display_name if c.author_id else "",
            c.author_area.name if c.author_area_id else "",
            c.author_district.name if c.author_district_id else "",
            c.official_department.name if c.official_department_id else "",
            c.support_count,
            c.get_status_display(),
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            timezone.localtime(c.edited_at).strftime("%Y-%m-%d %H:%M:%S")
            if c.edited_at
            else "",
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _safe_cell(value):
    # Cells starting with = + - @ (or a tab or line break before them) would
    # run as formulas in spreadsheets; a leading quote keeps them text.
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def export_build(*, job_id: int) -> ExportJob:
    """Write the export file, updating progress as it goes."""
    job = ExportJob.objects.select_related("consultation").get(pk=job_id)
    if job.state == ExportJob.State.DONE:
        return job
    total = Comment.objects.filter(consultation=job.consultation).count()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING, total=total, done=0
    )
    try:
        with tempfile.TemporaryFile() as handle:
            if job.format == ExportJob.Format.CSV:
                _write_csv(job, handle)
            else:
                _write_xlsx(job, handle)
            handle.seek(0)
            # Unguessable, in case the storage is ever served directly.
            name = (
                f"consultation-{job.consultation_id}-comments-"
                f"{uuid.uuid4().hex}.{job.format}"
            )
            job.file.save(name, File(handle), save=False)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(error)[:2000]
        )
        raise
    job.state = ExportJob.State.DONE
    job.done = total
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "state", "done", "finished_at"])
    return job


def _progress(job: ExportJob, done: int) -> None:
    if done % PROGRESS_EVERY == 0:
        ExportJob.objects.filter(pk=job.pk).update(done=done)


def _write_csv(job: ExportJob, handle) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(_header())
    for done, row in enumerate(_rows(job.consultation), start=1):
        writer.writerow([_safe_cell(v) for v in row])
        _progress(job, done)
    text.flush()
    text.detach()


def _write_xlsx(job: ExportJob, handle) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Comments"))
    sheet.append(_header())
    for done, row in enumerate(_rows(job.consultation), start=1):
        sheet.append([_xlsx_cell(v) for v in row])
        _progress(job, done)
    workbook.save(handle)


def _xlsx_cell(value):
    # Control characters are not allowed in the XML inside an XLSX file;
    # one in a comment would fail the whole export.
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return _safe_cell(value)
