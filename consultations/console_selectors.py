"""Reads for the officials' console: their consultations by status, the
scope picker, what a draft still lacks, outcome drafting and exports."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.models import Area
from consultations.models import Comment, Consultation, ExportJob, Outcome, Section

Status = Consultation.Status
CANDIDATE_COMMENTS = 30
RECENT_EXPORTS = 10


def official_consultations(*, user: User) -> list[dict]:
    """The consultations of ``user``'s departments, grouped by status in
    lifecycle order; groups without any consultation are left out."""
    consultations = (
        Consultation.objects.filter(department__memberships__user=user)
        .select_related("department")
        .annotate(
            outcome_published_at=Subquery(
                Outcome.objects.filter(consultation=OuterRef("pk")).values(
                    "published_at"
                )[:1]
            ),
            comment_total=Count(
                "comments", filter=Q(comments__parent__isnull=True), distinct=True
            ),
        )
        .order_by("-updated_at", "-pk")
    )
    now = timezone.now()
    groups = {status: [] for status in Status.values}
    for consultation in consultations:
        groups[consultation.status_at(now)].append(consultation)
    return [
        {"status": status, "label": Status(status).label, "consultations": rows}
        for status, rows in groups.items()
        if rows
    ]


@dataclass
class ScopeChoices:
    """What the scope step lists: the jurisdiction itself, the areas one
    level below it, the streets of one of those on request, and whatever
    is already chosen elsewhere."""

    jurisdiction: Area
    children: list[Area]
    expanded: Area | None = None
    grandchildren: list[Area] = field(default_factory=list)
    others: list[Area] = field(default_factory=list)


def scope_choices(
    *, consultation: Consultation, selected: list[Area], expand: Area | None
) -> ScopeChoices:
    jurisdiction = consultation.department.area
    children = list(Area.objects.filter(parent=jurisdiction).order_by("code"))
    if expand is None or expand.parent_id != jurisdiction.pk:
        expand = next(
            (a.parent for a in selected if a.parent_id in {c.pk for c in children}),
            None,
        )
    grandchildren = (
        list(Area.objects.filter(parent=expand).order_by("code")) if expand else []
    )
    shown = {jurisdiction.pk, *(a.pk for a in children + grandchildren)}
    others = [a for a in selected if a.pk not in shown]
    return ScopeChoices(jurisdiction, children, expand, grandchildren, others)


def publish_missing(*, consultation: Consultation) -> list[str]:
    """What a draft still lacks before it can be published (in words)."""
    missing = []
    if not consultation.opens_at or not consultation.closes_at:
        missing.append(_("Set when the consultation opens and closes."))
    elif consultation.closes_at <= timezone.now():
        missing.append(_("The closing time has already passed."))
    if not consultation.areas.exists():
        missing.append(_("Choose the areas the consultation concerns."))
    if not consultation.sections.exists():
        missing.append(
            _("Add the draft document (optional, but residents comment on it).")
        )
    return missing


def outcome_for_console(*, consultation: Consultation) -> Outcome | None:
    """The outcome being written, with its items and their linked comments."""
    return (
        Outcome.objects.filter(consultation=consultation)
        .prefetch_related(
            Prefetch(
                "items__answered_comments",
                queryset=Comment.objects.order_by("-support_count", "pk"),
            ),
            "items__section",
        )
        .first()
    )


def representative_candidates(
    *,
    consultation: Consultation,
    section: Section | None,
    chosen_ids: list[int] = (),
    limit: int = CANDIDATE_COMMENTS,
) -> list[Comment]:
    """The most supported top-level comments of a section (or the whole
    consultation), plus those already chosen."""
    visible = Comment.objects.filter(
        consultation=consultation,
        parent__isnull=True,
        status=Comment.Status.VISIBLE,
    )
    if section is not None:
        visible = visible.filter(section=section)
    top = list(
        visible.select_related("section").order_by("-support_count", "-pk")[:limit]
    )
    missing = set(chosen_ids) - {c.pk for c in top}
    if missing:
        top += list(
            Comment.objects.filter(
                consultation=consultation, pk__in=missing
            ).select_related("section")
        )
    return top


def recent_exports(*, consultation: Consultation) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(consultation=consultation).order_by("-created_at")[
        :RECENT_EXPORTS
    ]
