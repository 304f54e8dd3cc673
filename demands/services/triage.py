"""Officials' work on demands: accept, assign or transfer, set the status
with a public text, respond, rename, prioritise, merge and split.

Every step is a DemandUpdate with its author and time; a public one is
announced to every resident whose input feeds the demand once the
transaction commits (``demands.services.notices``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.models import Department
from consultations import search
from demands.models import Demand, DemandSource, DemandUpdate
from demands.services import counts, notices

Status = Demand.Status
Kind = DemandUpdate.Kind

# Where an official may move a demand by setting its status. Accepting
# happens from new; "assigned" only by assigning a department; "merged"
# only by merging.
TRANSITIONS = {
    Status.NEW: {Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: {Status.IN_PROGRESS, Status.DECLINED},
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.RESOLVED, Status.DECLINED},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.DECLINED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    Status.DECLINED: {Status.ACCEPTED},
    Status.MERGED: set(),
}
# Updates that answer residents: the first of them is the first response.
RESPONSE_KINDS = {Kind.STATUS, Kind.RESPONSE, Kind.PROGRESS}
TEXT_MAX_LENGTH = 5000


def _require(user: User, permission: str, demand: Demand) -> None:
    if not user.has_perm(permission, demand):
        if demand.status == Status.MERGED:
            raise PermissionDenied(
                _("This demand was merged into another; work on that one.")
            )
        raise PermissionDenied(
            _(
                "Only officials of the department this demand is assigned to "
                "can do this."
            )
        )


def _text(text: str | None) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The text can be at most %(max)d characters.")
                % {"max": TEXT_MAX_LENGTH}
            }
        )
    return text


def _locked(demand: Demand) -> Demand:
    return Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)


def _index(demand: Demand) -> None:
    Demand.objects.filter(pk=demand.pk).update(
        search_vector=search.document_vector(
            (demand.title, "A"),
            (demand.summary, "B"),
            (" ".join(str(k) for k in demand.keywords or []), "B"),
        )
    )


def update_record(
    *,
    demand: Demand,
    kind: str,
    author: User | None,
    text: str = "",
    is_public: bool = True,
    **fields,
) -> DemandUpdate:
    """Add a step to the demand's timeline; a public one is announced to the
    residents behind the demand after the commit."""
    now = timezone.now()
    update = DemandUpdate.objects.create(
        demand=demand,
        kind=kind,
        author=author,
        text=text,
        is_public=is_public,
        created_at=now,
        **fields,
    )
    if (
        kind in RESPONSE_KINDS
        and is_public
        and author is not None
        and demand.first_response_at is None
    ):
        demand.first_response_at = now
        Demand.objects.filter(pk=demand.pk).update(first_response_at=now)
    if is_public:
        transaction.on_commit(lambda: notices.enqueue_update_notice(update.pk))
    return update


@transaction.atomic
def demand_create(
    *,
    title: str,
    summary: str = "",
    topic=None,
    area=None,
    department: Department | None = None,
    keywords=(),
    by: User | None = None,
) -> Demand:
    """A new demand (by the pipeline, or by an official splitting one)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the demand a title.")})
    demand = Demand(
        title=title[:200],
        summary=(summary or "").strip(),
        topic=topic,
        area=area,
        department=department,
        keywords=list(keywords),
        status=Status.ASSIGNED if department is not None else Status.NEW,
    )
    demand.full_clean(exclude=["central_source", "merged_into"])
    demand.save()
    _index(demand)
    update_record(
        demand=demand,
        kind=Kind.CREATED,
        author=by,
        status_to=demand.status,
        department_to=department,
        is_public=False,
    )
    return demand


@transaction.atomic
def demand_accept(*, by: User, demand: Demand, text: str = "") -> Demand:
    """Take up a new demand (any official, while nobody has it)."""
    demand = _locked(demand)
    _require(by, "demands.triage_demand", demand)
    if demand.status != Status.NEW:
        raise ValidationError(_("Only a new demand can be accepted."))
    return _set_status(by, demand, Status.ACCEPTED, _text(text))


@transaction.atomic
def demand_assign(
    *, by: User, demand: Demand, department: Department, text: str = ""
) -> Demand:
    """Give the demand to ``department``: the first assignment, or a
    transfer between departments (logged with both)."""
    demand = _locked(demand)
    _require(by, "demands.triage_demand", demand)
    if department is None:
        raise ValidationError({"department": _("Choose a department.")})
    if demand.department_id == department.pk:
        raise ValidationError(
            {"department": _("The demand is already with this department.")}
        )
    text = _text(text)
    before_department, before_status = demand.department, demand.status
    demand.department = department
    if demand.status in (Status.NEW, Status.ACCEPTED):
        demand.status = Status.ASSIGNED
    demand.save(update_fields=["department", "status", "updated_at"])
    update_record(
        demand=demand,
        kind=Kind.TRANSFER,
        author=by,
        text=text,
        department_from=before_department,
        department_to=department,
        status_from=before_status,
        status_to=demand.status,
    )
    return demand


def _set_status(by: User, demand: Demand, status: str, text: str) -> Demand:
    before = demand.status
    demand.status = status
    if status == Status.RESOLVED:
        demand.resolved_at = timezone.now()
    elif before == Status.RESOLVED:
        demand.resolved_at = None
    demand.save(update_fields=["status", "resolved_at", "updated_at"])
    update_record(
        demand=demand,
        kind=Kind.STATUS,
        author=by,
        text=text,
        status_from=before,
        status_to=status,
    )
    return demand


@transaction.atomic
def demand_set_status(*, by: User, demand: Demand, status: str, text: str) -> Demand:
    """Move the demand to ``status`` with a public text; declining needs a
    reason."""
    demand = _locked(demand)
    if status == Status.ACCEPTED and demand.status == Status.NEW:
        _require(by, "demands.triage_demand", demand)
    else:
        _require(by, "demands.answer_demand", demand)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status not in TRANSITIONS[demand.status]:
        raise ValidationError(
            {
                "status": _("A demand that is “%(from)s” cannot become “%(to)s”.")
                % {"from": demand.get_status_display(), "to": Status(status).label}
            }
        )
    text = _text(text)
    if status == Status.DECLINED and not text:
        raise ValidationError({"text": _("Say publicly why the demand is declined.")})
    return _set_status(by, demand, status, text)


@transaction.atomic
def demand_respond(
    *, by: User, demand: Demand, text: str, kind: str = Kind.RESPONSE
) -> DemandUpdate:
    """Publish a response or a progress update on the demand."""
    demand = _locked(demand)
    _require(by, "demands.answer_demand", demand)
    if kind not in (Kind.RESPONSE, Kind.PROGRESS):
        raise ValidationError({"kind": _("Choose a response or a progress update.")})
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Write the text residents will read.")})
    return update_record(demand=demand, kind=kind, author=by, text=text)


@transaction.atomic
def demand_rename(
    *, by: User, demand: Demand, title: str, summary: str | None = None
) -> Demand:
    demand = _locked(demand)
    _require(by, "demands.triage_demand", demand)
    title = (title or "").replace("\x00", "").strip()
    if not title:
        raise ValidationError({"title": _("Give the demand a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("A title can be at most 200 characters.")})
    before = demand.title
    demand.title = title
    if summary is not None:
        demand.summary = _text(summary)
    demand.save(update_fields=["title", "summary", "updated_at"])
    _index(demand)
    if before != title:
        update_record(
            demand=demand,
            kind=Kind.RENAME,
            author=by,
            text=_("Renamed from “%(before)s”.") % {"before": before},
        )
    return demand


@transaction.atomic
def demand_set_priority(*, by: User, demand: Demand, priority: int) -> Demand:
    """An internal marker for the department's triage (not announced)."""
    demand = _locked(demand)
    _require(by, "demands.triage_demand", demand)
    try:
        priority = Demand.Priority(int(priority))
    except (TypeError, ValueError):
        raise ValidationError({"priority": _("Choose a priority.")}) from None
    if priority != demand.priority:
        demand.priority = priority
        demand.save(update_fields=["priority", "updated_at"])
        update_record(
            demand=demand,
            kind=Kind.PRIORITY,
            author=by,
            text=str(priority.label),
            is_public=False,
        )
    return demand


@transaction.atomic
def demand_merge(*, by: User, demand: Demand, into: Demand, text: str = "") -> Demand:
    """Merge ``demand`` into ``into``: its inputs move over, it becomes
    "merged" with a link, and earlier merges into it follow."""
    if demand.pk == into.pk:
        raise ValidationError({"into": _("A demand cannot be merged into itself.")})
    first, second = sorted([demand.pk, into.pk])
    locked = {
        d.pk: d
        for d in Demand.objects.select_for_update(of=("self",)).filter(
            pk__in=[first, second]
        )
    }
    demand, into = locked[demand.pk], locked[into.pk]
    _require(by, "demands.triage_demand", demand)
    if into.status == Status.MERGED:
        raise ValidationError(
            {"into": _("That demand was itself merged; choose the one it went into.")}
        )
    _require(by, "demands.triage_demand", into)
    text = _text(text)
    moved = DemandSource.objects.filter(demand=demand).update(demand=into)
    Demand.objects.filter(merged_into=demand).update(merged_into=into)
    before = demand.status
    demand.status = Status.MERGED
    demand.merged_into = into
    demand.save(update_fields=["status", "merged_into", "updated_at"])
    update_record(
        demand=demand,
        kind=Kind.MERGE,
        author=by,
        text=text,
        status_from=before,
        status_to=Status.MERGED,
        related_demand=into,
    )
    update_record(
        demand=into,
        kind=Kind.MERGE,
        author=by,
        text=text
        or _("“%(title)s” (%(n)d inputs) was merged into this demand.")
        % {"title": demand.title, "n": moved},
        related_demand=demand,
    )
    counts.demand_recount(demand_ids=[demand.pk, into.pk])
    into.refresh_from_db()
    return into


@transaction.atomic
def demand_split(
    *,
    by: User,
    demand: Demand,
    source_ids,
    title: str,
    summary: str = "",
) -> Demand:
    """Move the inputs ``source_ids`` of ``demand`` to a new demand with the
    same topic, area and department."""
    demand = _locked(demand)
    _require(by, "demands.triage_demand", demand)
    ids = {int(i) for i in source_ids}
    if not ids:
        raise ValidationError({"sources": _("Choose the inputs to move.")})
    sources = DemandSource.objects.filter(demand=demand, pk__in=ids)
    found = sources.count()
    if found != len(ids):
        raise ValidationError(
            {"sources": _("Some of the chosen inputs do not belong to this demand.")}
        )
    if found == DemandSource.objects.filter(demand=demand).count():
        raise ValidationError(
            {
                "sources": _(
                    "Leave at least one input with this demand; rename it instead."
                )
            }
        )
    new = demand_create(
        title=title,
        summary=summary,
        topic=demand.topic,
        area=demand.area,
        department=demand.department,
        by=by,
    )
    sources.update(demand=new)
    note = _("%(n)d inputs moved to a new demand.") % {"n": found}
    update_record(
        demand=demand, kind=Kind.SPLIT, author=by, text=note, related_demand=new
    )
    update_record(
        demand=new,
        kind=Kind.SPLIT,
        author=by,
        text=_("Split from “%(title)s”.") % {"title": demand.title},
        related_demand=demand,
    )
    counts.demand_recount(demand_ids=[demand.pk, new.pk])
    new.refresh_from_db()
    return new
