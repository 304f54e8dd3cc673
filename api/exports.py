"""Nightly bulk dumps of all public data, as CSV and JSON, with the data
dictionary that describes every file and column.

``open_data_dump`` writes each file under ``settings.OPEN_DATA_DIR`` as a
temporary file first and renames it into place, so a download never sees
half a file; ``manifest.json`` lists what was written and when. Every
dataset reads through the apps' public selectors or the same visibility
rules: nothing a page hides, no personal data beyond display names.
"""

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import selectors
from civic.models import Area, Department, Topic
from consultations import selectors as consultation_selectors
from consultations.models import Comment, Outcome, OutcomeItem, Section
from hearings import selectors as hearing_selectors
from surveys import selectors as survey_selectors
from surveys.results import aggregate

CHUNK = 2000
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[dict]]

    def filename(self, fmt: str) -> str:
        return f"{self.name}.{fmt}"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


# Rows -------------------------------------------------------------------------


def _consultations():
    rows = (
        selectors.consultations(filters={})
        .prefetch_related("areas", "topics")
        .order_by("pk")
    )
    for c in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": c.pk,
            "title": c.title,
            "summary": c.summary,
            "status": c.status,
            "department": c.department.slug,
            "areas": ";".join(a.code for a in c.areas.all()),
            "topics": ";".join(t.slug for t in c.topics.all()),
            "opens_at": _iso(c.opens_at),
            "closes_at": _iso(c.closes_at),
            "published_at": _iso(c.published_at),
            "outcome_published_at": _iso(c.outcome_published_at),
        }


def _sections():
    sections = Section.objects.filter(
        consultation__in=consultation_selectors.public_consultations()
    ).order_by("consultation_id", "position")
    for s in sections.iterator(chunk_size=CHUNK):
        yield {
            "consultation_id": s.consultation_id,
            "anchor": s.anchor,
            "position": s.position,
            "kind": s.kind,
            "number": s.number,
            "heading": s.heading,
            "body": s.body,
        }


def _comments():
    # Only comments a visitor reads in full: hidden, deleted and pending
    # ones are left out, and of the author only the display name.
    comments = (
        Comment.objects.filter(
            status=Comment.Status.VISIBLE,
            consultation__in=consultation_selectors.public_consultations(),
        )
        .select_related("author", "section", "official_department")
        .only(
            "pk",
            "consultation_id",
            "parent_id",
            "body",
            "stance",
            "support_count",
            "created_at",
            "edited_at",
            "author__display_name",
            "section__anchor",
            "official_department__slug",
        )
        .order_by("pk")
    )
    for c in comments.iterator(chunk_size=CHUNK):
        yield {
            "id": c.pk,
            "consultation_id": c.consultation_id,
            "section": c.section.anchor if c.section else "",
            "parent_id": c.parent_id,
            "author_name": c.author.display_name if c.author else "",
            "official_department": (
                c.official_department.slug if c.official_department else ""
            ),
            "stance": c.stance,
            "body": c.body,
            "support_count": c.support_count,
            "created_at": _iso(c.created_at),
            "edited": c.edited_at is not None,
        }


def _published_outcomes():
    return Outcome.objects.filter(
        published_at__isnull=False,
        consultation__in=consultation_selectors.public_consultations(),
    )


def _outcomes():
    for o in _published_outcomes().order_by("consultation_id"):
        yield {
            "consultation_id": o.consultation_id,
            "summary": o.summary,
            "published_at": _iso(o.published_at),
        }


def _outcome_items():
    items = (
        OutcomeItem.objects.filter(outcome__in=_published_outcomes())
        .select_related("outcome", "section")
        .annotate(
            answered=Count(
                "answered_comments",
                filter=Q(answered_comments__status=Comment.Status.VISIBLE),
            )
        )
        .order_by("outcome__consultation_id", "position", "pk")
    )
    for i in items:
        yield {
            "consultation_id": i.outcome.consultation_id,
            "position": i.position,
            "theme": i.theme,
            "section": i.section.anchor if i.section else "",
            "what_was_said": i.what_was_said,
            "decision": i.decision,
            "reason": i.reason,
            "answered_comment_count": i.answered,
        }


def _surveys():
    for s in survey_selectors.public_surveys().order_by("pk"):
        yield {
            "id": s.pk,
            "title_zh": s.title_zh,
            "title_en": s.title_en,
            "status": s.status,
            "mode": s.mode,
            "department": s.department.slug,
            "consultation_id": s.consultation_id,
            "opens_at": _iso(s.opens_at),
            "closes_at": _iso(s.closes_at),
            "results_published_at": _iso(s.results_published_at),
            "response_count": s.response_count,
        }


def _survey_results():
    surveys = survey_selectors.public_surveys().filter(
        results_published_at__isnull=False
    )
    for survey in surveys.order_by("pk"):
        structure = survey_selectors.structure(survey=survey)
        results = aggregate.survey_results(survey=survey, structure=structure)
        for result in results["questions"]:
            for bar in result.bars:
                yield {
                    "survey_id": survey.pk,
                    "question_id": result.question.pk,
                    "question_zh": result.question.text_zh,
                    "question_en": result.question.text_en,
                    "kind": result.question.kind,
                    "seen": result.seen,
                    "answered": result.answered,
                    "option": bar.label,
                    "count": bar.count,
                    "percent": bar.percent,
                }


def _hearings():
    hearings = hearing_selectors.public_hearings().select_related("record")
    for h in hearings.order_by("pk"):
        record = getattr(h, "record", None)
        yield {
            "id": h.pk,
            "consultation_id": h.consultation_id,
            "title": h.title,
            "status": h.status,
            "starts_at": _iso(h.starts_at),
            "ends_at": _iso(h.ends_at),
            "venue": h.venue,
            "stream_url": h.stream_url,
            "record_published_at": _iso(record.published_at) if record else None,
            "recording_url": (
                record.recording_url if record and record.published_at else ""
            ),
        }


def _demands():
    for d in selectors.demands().order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": d.pk,
            "title": d.title,
            "summary": d.summary,
            "status": d.status,
            "topic": d.topic.slug if d.topic else "",
            "area": d.area.code if d.area else "",
            "department": d.department.slug if d.department else "",
            "resident_count": d.resident_count,
            "support_count": d.support_count,
            "input_count": d.input_count,
            "created_at": _iso(d.created_at),
            "first_response_at": _iso(d.first_response_at),
            "resolved_at": _iso(d.resolved_at),
        }


def _demand_updates():
    updates = selectors.demand_updates().order_by("pk")
    for u in updates.iterator(chunk_size=CHUNK):
        yield {
            "id": u.pk,
            "demand_id": u.demand_id,
            "kind": u.kind,
            "status_from": u.status_from,
            "status_to": u.status_to,
            "department": u.department_to.slug if u.department_to else "",
            "text": u.text,
            "created_at": _iso(u.created_at),
        }


def _areas():
    for a in Area.objects.order_by("path").iterator(chunk_size=CHUNK):
        codes = [c for c in a.path.split("/") if c]
        yield {
            "code": a.code,
            "name_zh": a.name_zh,
            "name_en": a.name_en,
            "level": a.level,
            "parent": codes[-2] if len(codes) > 1 else "",
        }


def _departments():
    departments = Department.objects.select_related("area", "parent").order_by("slug")
    for d in departments.prefetch_related("topics"):
        yield {
            "slug": d.slug,
            "name_zh": d.name_zh,
            "name_en": d.name_en,
            "area": d.area.code,
            "parent": d.parent.slug if d.parent else "",
            "topics": ";".join(t.slug for t in d.topics.all()),
        }


def _topics():
    for t in Topic.objects.order_by("position", "slug"):
        yield {"slug": t.slug, "name_zh": t.name_zh, "name_en": t.name_en}


# The dictionary ---------------------------------------------------------------

C = Column
TIME = _("date and time with offset (ISO 8601, Beijing time)")

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "consultations",
        _("Consultations"),
        _("Every published consultation (drafts are not public)."),
        (
            C("id", _("number of the consultation (its page is /consultations/<id>/)")),
            C("title", _("title")),
            C("summary", _("summary")),
            C("status", _("scheduled, open, closed, responded or archived")),
            C("department", _("slug of the department that runs it")),
            C("areas", _("codes of the areas concerned, separated by ;")),
            C("topics", _("slugs of its topics, separated by ;")),
            C("opens_at", TIME),
            C("closes_at", TIME),
            C("published_at", TIME),
            C("outcome_published_at", _("when its response was published, or empty")),
        ),
        _consultations,
    ),
    Dataset(
        "sections",
        _("Draft sections"),
        _("The parts of each consultation's draft document, in order."),
        (
            C("consultation_id", _("consultation")),
            C("anchor", _("stable identifier of the section within its draft")),
            C("position", _("order within the draft")),
            C("kind", _("preamble, chapter, article or paragraph")),
            C("number", _("its number, as printed")),
            C("heading", _("heading")),
            C("body", _("text")),
        ),
        _sections,
    ),
    Dataset(
        "comments",
        _("Public comments"),
        _(
            "Comments and replies shown in full on the consultations' pages. "
            "Hidden, deleted and unmoderated comments are left out; of the "
            "author, only the display name is given."
        ),
        (
            C("id", _("number of the comment")),
            C("consultation_id", _("consultation")),
            C("section", _("anchor of the section commented on, or empty")),
            C("parent_id", _("the comment replied to, or empty")),
            C("author_name", _("the author's display name")),
            C("official_department", _("for an official reply, the department")),
            C("stance", _("support, oppose, suggestion or question (top level)")),
            C("body", _("text")),
            C("support_count", _("residents who supported it")),
            C("created_at", TIME),
            C("edited", _("true if the author edited it")),
        ),
        _comments,
    ),
    Dataset(
        "outcomes",
        _("Published responses"),
        _("What each department heard and decided (意见采纳情况)."),
        (
            C("consultation_id", _("consultation")),
            C("summary", _("summary of the response")),
            C("published_at", TIME),
        ),
        _outcomes,
    ),
    Dataset(
        "outcome_items",
        _("Response items"),
        _("One theme or section of a response: what was said, the decision, why."),
        (
            C("consultation_id", _("consultation")),
            C("position", _("order within the response")),
            C("theme", _("theme")),
            C("section", _("anchor of the section concerned, or empty")),
            C("what_was_said", _("what residents said")),
            C("decision", _("adopted, partial, not_adopted or noted")),
            C("reason", _("the reason given")),
            C("answered_comment_count", _("public comments this item answers")),
        ),
        _outcome_items,
    ),
    Dataset(
        "surveys",
        _("Surveys"),
        _("Every published survey."),
        (
            C("id", _("number of the survey")),
            C("title_zh", _("title in Chinese")),
            C("title_en", _("title in English")),
            C("status", _("scheduled, open or closed")),
            C("mode", _("anonymous, identified or unlinkable")),
            C("department", _("slug of the department")),
            C("consultation_id", _("the consultation it belongs to, or empty")),
            C("opens_at", TIME),
            C("closes_at", TIME),
            C("results_published_at", _("when its results were published, or empty")),
            C("response_count", _("responses received")),
        ),
        _surveys,
    ),
    Dataset(
        "survey_results",
        _("Survey results"),
        _(
            "Published results only: one row per question and option (or "
            "scale value, or range of numbers). Open text answers are not "
            "included."
        ),
        (
            C("survey_id", _("survey")),
            C("question_id", _("question")),
            C("question_zh", _("question in Chinese")),
            C("question_en", _("question in English")),
            C("kind", _("question type")),
            C("seen", _("respondents shown the question")),
            C("answered", _("respondents who answered it")),
            C("option", _("option, scale value or range")),
            C("count", _("respondents who chose it (ranking: its score)")),
            C("percent", _("percentage of those shown the question")),
        ),
        _survey_results,
    ),
    Dataset(
        "hearings",
        _("Hearings"),
        _("Public hearings of published consultations."),
        (
            C("id", _("number of the hearing")),
            C("consultation_id", _("consultation")),
            C("title", _("title")),
            C("status", _("scheduled, live, ended or record_published")),
            C("starts_at", TIME),
            C("ends_at", TIME),
            C("venue", _("venue")),
            C("stream_url", _("address of the live stream")),
            C("record_published_at", _("when its record was published, or empty")),
            C("recording_url", _("address of the recording")),
        ),
        _hearings,
    ),
    Dataset(
        "demands",
        _("Service demands"),
        _(
            "The public-service demand list (公共服务需求清单), "
            "merged demands left out."
        ),
        (
            C("id", _("number of the demand")),
            C("title", _("title")),
            C("summary", _("summary")),
            C(
                "status",
                _("new, accepted, assigned, in_progress, resolved or declined"),
            ),
            C("topic", _("slug of its topic")),
            C("area", _("code of its area")),
            C("department", _("slug of the department responsible")),
            C("resident_count", _("distinct residents behind it")),
            C("support_count", _("supports")),
            C("input_count", _("inputs grouped into it")),
            C("created_at", TIME),
            C("first_response_at", _("first public response, or empty")),
            C("resolved_at", _("when it was resolved, or empty")),
        ),
        _demands,
    ),
    Dataset(
        "demand_updates",
        _("Demand updates"),
        _("Every public step in a demand's timeline."),
        (
            C("id", _("number of the update")),
            C("demand_id", _("demand")),
            C("kind", _("created, status, response, progress, rename, transfer, …")),
            C("status_from", _("status before, for a status change")),
            C("status_to", _("status after, for a status change")),
            C("department", _("for a transfer, the new department")),
            C("text", _("public text")),
            C("created_at", TIME),
        ),
        _demand_updates,
    ),
    Dataset(
        "areas",
        _("Areas"),
        _("The administrative tree from the city down to grid cells."),
        (
            C("code", _("administrative code")),
            C("name_zh", _("name in Chinese")),
            C("name_en", _("name in English")),
            C("level", _("1 city, 2 district, 3 street, 4 community, 5 grid")),
            C("parent", _("code of the area above, or empty")),
        ),
        _areas,
    ),
    Dataset(
        "departments",
        _("Departments"),
        _("Government bodies that consult and answer."),
        (
            C("slug", _("identifier")),
            C("name_zh", _("name in Chinese")),
            C("name_en", _("name in English")),
            C("area", _("code of its jurisdiction")),
            C("parent", _("slug of the parent department, or empty")),
            C("topics", _("slugs of its topics, separated by ;")),
        ),
        _departments,
    ),
    Dataset(
        "topics",
        _("Topics"),
        _("Public-service categories."),
        (
            C("slug", _("identifier")),
            C("name_zh", _("name in Chinese")),
            C("name_en", _("name in English")),
        ),
        _topics,
    ),
)

BY_NAME = {dataset.name: dataset for dataset in DATASETS}


# Writing ----------------------------------------------------------------------


def data_dir() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_dataset(dataset: Dataset, directory: Path) -> int:
    """Write the dataset's CSV and JSON side by side in one pass; each file
    appears under its name only once complete."""
    names = [column.name for column in dataset.columns]
    with contextlib.ExitStack() as stack:
        handles = {
            fmt: stack.enter_context(
                tempfile.NamedTemporaryFile(
                    "w",
                    encoding="utf-8",
                    newline="",
                    dir=directory,
                    prefix=f".{dataset.name}.",
                    suffix=f".{fmt}",
                    delete=False,
                )
            )
            for fmt in FORMATS
        }
        stack.callback(_remove_leftovers, [h.name for h in handles.values()])
        # A byte-order mark makes spreadsheet programs read UTF-8 Chinese.
        handles["csv"].write("\ufeff")
        writer = csv.writer(handles["csv"])
        writer.writerow(names)
        handles["json"].write("[")
        count = 0
        for row in dataset.rows():
            writer.writerow([_cell(row[name]) for name in names])
            handles["json"].write(",\n" if count else "\n")
            handles["json"].write(
                json.dumps(
                    {name: row[name] for name in names},
                    ensure_ascii=False,
                    cls=DjangoJSONEncoder,
                )
            )
            count += 1
        handles["json"].write("\n]\n")
        for fmt, handle in handles.items():
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(handle.name, 0o644)
            os.replace(handle.name, directory / dataset.filename(fmt))
        return count


def _remove_leftovers(paths: list[str]) -> None:
    """Temporary files of a dump that failed half-way."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def open_data_dump(*, directory: Path | None = None) -> dict:
    """Write every dataset as CSV and JSON and the manifest; returns the
    manifest."""
    directory = Path(directory or data_dir())
    directory.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    files = {}
    for dataset in DATASETS:
        rows = _write_dataset(dataset, directory)
        files[dataset.name] = {
            "rows": rows,
            "files": {fmt: dataset.filename(fmt) for fmt in FORMATS},
        }
    manifest = {
        "generated_at": _iso(started),
        "finished_at": _iso(timezone.now()),
        "datasets": files,
    }
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, prefix=".manifest.", delete=False
    ) as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, directory / "manifest.json")
    return manifest


def manifest() -> dict | None:
    """The last dump's manifest, or None before the first dump."""
    try:
        return json.loads((data_dir() / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
