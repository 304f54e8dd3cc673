"""Comment exports: every comment, safe cells, progress, done."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from consultations.models import ExportJob
from consultations.services import exports
from tests.factories import (
    CommentFactory,
    ReplyFactory,
    UserFactory,
    consultation_in,
    official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DANGEROUS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "\t=1+1",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def export(consultation, fmt, django_capture_on_commit_callbacks) -> ExportJob:
    user = official(consultation.department, mfa=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_request(user=user, consultation=consultation, format=fmt)
    return ExportJob.objects.get(pk=job.pk)


def csv_rows(job) -> list[list[str]]:
    with job.file.open("rb") as handle:
        return list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))


def xlsx_rows(job) -> list[tuple]:
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
        return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def commented_consultation():
    consultation = consultation_in("open")
    parent = CommentFactory(consultation=consultation, body="普通意见")
    ReplyFactory(parent=parent, body="回复")
    for body in DANGEROUS:
        CommentFactory(consultation=consultation, body=body)
    CommentFactory(consultation=consultation_in("open"), body="别的征集")
    return consultation


def test_csv_contains_every_comment_with_a_header(django_capture_on_commit_callbacks):
    consultation = commented_consultation()

    job = export(consultation, "csv", django_capture_on_commit_callbacks)

    assert job.state == ExportJob.State.DONE
    rows = csv_rows(job)
    assert rows[0][:5] == ["ID", "Reply to", "Section", "Stance", "Comment"]
    bodies = [row[4] for row in rows[1:]]
    assert len(bodies) == 2 + len(DANGEROUS)
    assert "普通意见" in bodies
    assert "回复" in bodies
    assert "别的征集" not in bodies


def test_csv_neutralises_formulas(django_capture_on_commit_callbacks):
    job = export(commented_consultation(), "csv", django_capture_on_commit_callbacks)

    bodies = {row[4] for row in csv_rows(job)[1:]}
    for body in DANGEROUS:
        assert "'" + body in bodies
    assert not any(b[:1] in "=+-@\t" for b in bodies)


def test_formula_in_the_author_name_is_neutralised_too(
    django_capture_on_commit_callbacks,
):
    consultation = consultation_in("open")
    CommentFactory(consultation=consultation, author=UserFactory(display_name="=1+1"))

    job = export(consultation, "csv", django_capture_on_commit_callbacks)

    assert csv_rows(job)[1][5] == "'=1+1"


def test_xlsx_contains_every_comment_as_text(django_capture_on_commit_callbacks):
    consultation = commented_consultation()

    job = export(consultation, "xlsx", django_capture_on_commit_callbacks)

    assert job.state == ExportJob.State.DONE
    rows = xlsx_rows(job)
    assert rows[0][4] == "Comment"
    bodies = [row[4] for row in rows[1:]]
    assert len(bodies) == 2 + len(DANGEROUS)
    for body in DANGEROUS:
        assert "'" + body in bodies


def test_xlsx_cells_are_never_formulas(django_capture_on_commit_callbacks):
    job = export(commented_consultation(), "xlsx", django_capture_on_commit_callbacks)

    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
        kinds = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds


def test_control_characters_do_not_break_the_xlsx(django_capture_on_commit_callbacks):
    consultation = consultation_in("open")
    CommentFactory(consultation=consultation, body="响铃\x07字符")

    job = export(consultation, "xlsx", django_capture_on_commit_callbacks)

    assert job.state == ExportJob.State.DONE
    assert xlsx_rows(job)[1][4] == "响铃字符"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_is_set_and_the_job_is_done(fmt, django_capture_on_commit_callbacks):
    consultation = commented_consultation()

    job = export(consultation, fmt, django_capture_on_commit_callbacks)

    assert job.total == 2 + len(DANGEROUS)
    assert job.done == job.total
    assert job.percent == 100
    assert job.finished_at is not None
    assert job.error == ""


def test_empty_consultation_exports_just_the_header(django_capture_on_commit_callbacks):
    job = export(consultation_in("open"), "csv", django_capture_on_commit_callbacks)

    assert job.state == ExportJob.State.DONE
    assert len(csv_rows(job)) == 1


def test_building_a_finished_job_again_changes_nothing(
    django_capture_on_commit_callbacks,
):
    job = export(commented_consultation(), "csv", django_capture_on_commit_callbacks)

    again = exports.export_build(job_id=job.pk)

    assert again.file.name == job.file.name


def test_export_file_name_cannot_be_guessed(django_capture_on_commit_callbacks):
    consultation = consultation_in("open")

    job = export(consultation, "csv", django_capture_on_commit_callbacks)

    assert job.file.name != f"exports/consultation-{consultation.pk}-comments.csv"


@pytest.mark.parametrize("who", ["resident", "other department"])
def test_export_refused_for_non_officials(who):
    consultation = consultation_in("closed")
    user = UserFactory() if who == "resident" else official(mfa=False)

    with pytest.raises(PermissionDenied, match="Only officials"):
        exports.export_request(user=user, consultation=consultation, format="csv")

    assert not ExportJob.objects.exists()


def test_unknown_format_is_refused_with_a_message():
    consultation = consultation_in("closed")

    with pytest.raises(ValidationError) as error:
        exports.export_request(
            user=official(consultation.department, mfa=False),
            consultation=consultation,
            format="pdf",
        )

    assert "format" in error.value.message_dict
    assert not ExportJob.objects.exists()
