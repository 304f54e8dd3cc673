"""The officials' console for demands, under /console/demands/: the triage
list, one demand's page with every action (accept, assign or transfer,
status, response, rename, priority, merge, split), why two inputs were
grouped, and the text analysis with its progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from consultations.views.console import console_view
from demands import selectors, services
from demands.forms import (
    AcceptForm,
    AssignForm,
    MergeForm,
    PriorityForm,
    RenameForm,
    RespondForm,
    SplitForm,
    StatusForm,
)
from demands.models import AnalysisRun, Demand, DemandSource

try:  # The pipeline (another part of the app) provides start_run.
    from demands import pipeline
except ImportError:  # pragma: no cover - until the pipeline lands
    pipeline = None

DEMANDS_PER_PAGE = 25
SOURCES_PER_PAGE = 30


def demands_console(view):
    """A console page for officials (second factor enforced as for every
    console)."""

    @console_view
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("demands.view_console"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@demands_console
def index(request):
    """Demands of the official's departments and the unassigned new ones."""
    status = request.GET.get("status", "")
    if status not in ("", *Demand.Status.values):
        status = ""
    q = request.GET.get("q", "").strip()[:200]
    unassigned = request.GET.get("unassigned") == "1"
    demands = selectors.triage_list(
        user=request.user, status=status, q=q, unassigned=unassigned
    )
    page = Paginator(demands, DEMANDS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "demands/console/index.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "unassigned": unassigned,
            "statuses": Demand.Status.choices,
            "query_string": params.urlencode(),
            "latest_run": selectors.latest_run(),
            "can_run": request.user.has_perm("demands.run_analysis"),
        },
    )


def _demand_or_404(pk: int) -> Demand:
    demand = selectors.demand_for(pk=pk)
    if demand is None:
        raise Http404(_("There is no such demand."))
    return demand


FORMS = {
    "accept": AcceptForm,
    "assign": AssignForm,
    "status": StatusForm,
    "respond": RespondForm,
    "rename": RenameForm,
    "priority": PriorityForm,
    "merge": MergeForm,
    "split": SplitForm,
}


def _page(request, demand: Demand, bound: dict | None = None, status: int = 200):
    """The demand's console page; ``bound`` holds the one form that was
    sent and refused, shown with its errors."""
    user = request.user
    can_triage = user.has_perm("demands.triage_demand", demand)
    can_answer = user.has_perm("demands.answer_demand", demand)
    merged = demand.status == Demand.Status.MERGED
    if not (can_triage or can_answer or merged or user.is_superuser):
        raise PermissionDenied
    sources = Paginator(
        selectors.demand_sources(demand=demand), SOURCES_PER_PAGE
    ).get_page(request.GET.get("page"))
    q = request.GET.get("merge_q", "").strip()[:200]
    targets = list(selectors.merge_targets(demand=demand, user=user, q=q))
    bound = bound or {}
    initial = {
        "assign": {"department": demand.department_id},
        "rename": {"title": demand.title, "summary": demand.summary},
        "priority": {"priority": demand.priority},
    }
    # Each form's ids carry its name: the page holds several "text" fields.
    forms = {
        name: bound.get(name)
        or form_class(auto_id=f"{name}_%s", initial=initial.get(name))
        for name, form_class in FORMS.items()
    }
    # Only the offered targets are rendered, whatever the form validated.
    forms["merge"].fields["into"].choices = [("", "---------")] + [
        (t.pk, f"#{t.pk} {t.title}") for t in targets
    ]
    return render(
        request,
        "demands/console/demand.html",
        {
            "demand": demand,
            "timeline": selectors.demand_timeline(demand=demand, public_only=False),
            "sources": sources,
            "forms": forms,
            "merge_q": q,
            "can_triage": can_triage,
            "can_answer": can_answer,
            "can_accept": can_triage and demand.status == Demand.Status.NEW,
        },
        status=status,
    )


@demands_console
def demand(request, pk: int):
    return _page(request, _demand_or_404(pk))


def _action(name: str, call, success: str):
    """A POST action on one demand: validate its form, call the service,
    redirect with ``success`` or show the page with the refusal."""

    @require_POST
    @demands_console
    def view(request, pk: int):
        demand = _demand_or_404(pk)
        if name == "merge":
            choosable = selectors.triage_list(user=request.user).exclude(pk=demand.pk)
            form = MergeForm(request.POST, queryset=choosable, auto_id="merge_%s")
        else:
            form = FORMS[name](request.POST, auto_id=f"{name}_%s")
        if not form.is_valid():
            return _page(request, demand, {name: form}, status=400)
        try:
            result = call(request.user, demand, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return _page(request, demand, {name: form}, status=400)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("demands_console:demand", pk=demand.pk)
        messages.success(request, str(success))
        target = result if isinstance(result, Demand) else demand
        return redirect("demands_console:demand", pk=target.pk)

    view.__name__ = name
    return view


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


accept = _action(
    "accept",
    lambda user, demand, data: services.demand_accept(
        by=user, demand=demand, text=data["text"]
    ),
    gettext_lazy("The demand is accepted."),
)
assign = _action(
    "assign",
    lambda user, demand, data: services.demand_assign(
        by=user, demand=demand, department=data["department"], text=data["text"]
    ),
    gettext_lazy("The demand is assigned; the transfer is in its timeline."),
)
set_status = _action(
    "status",
    lambda user, demand, data: services.demand_set_status(
        by=user, demand=demand, status=data["status"], text=data["text"]
    ),
    gettext_lazy("The status is changed; the residents behind the demand are told."),
)
respond = _action(
    "respond",
    lambda user, demand, data: services.demand_respond(
        by=user, demand=demand, text=data["text"], kind=data["kind"]
    ),
    gettext_lazy("Published; the residents behind the demand are told."),
)
rename = _action(
    "rename",
    lambda user, demand, data: services.demand_rename(
        by=user, demand=demand, title=data["title"], summary=data["summary"]
    ),
    gettext_lazy("The demand is renamed."),
)
priority = _action(
    "priority",
    lambda user, demand, data: services.demand_set_priority(
        by=user, demand=demand, priority=data["priority"]
    ),
    gettext_lazy("The priority is set."),
)
merge = _action(
    "merge",
    lambda user, demand, data: services.demand_merge(
        by=user, demand=demand, into=data["into"], text=data["text"]
    ),
    gettext_lazy("The demands are merged; their inputs are now together."),
)
split = _action(
    "split",
    lambda user, demand, data: services.demand_split(
        by=user,
        demand=demand,
        source_ids=data["sources"],
        title=data["title"],
        summary=data["summary"],
    ),
    gettext_lazy("The chosen inputs are now a new demand."),
)


@demands_console
def explain(request, pk: int):
    """Why two inputs of a demand were grouped: the terms they share."""
    demand = _demand_or_404(pk)
    if not request.user.has_perm("demands.run_analysis"):
        raise PermissionDenied
    chosen = request.GET.getlist("source")[:2]
    pair = []
    try:
        ids = [int(i) for i in chosen]
    except ValueError:
        ids = []
    if len(ids) == 2:
        found = {
            s.pk: s for s in DemandSource.objects.filter(pk__in=ids, demand=demand)
        }
        pair = [found[i] for i in ids if i in found]
    terms = selectors.shared_terms(*pair) if len(pair) == 2 else []
    return render(
        request,
        "demands/console/explain.html",
        {
            "demand": demand,
            "pair": pair,
            "terms": terms,
            "asked": bool(chosen),
            "complete": len(pair) == 2,
        },
        status=200 if not chosen or len(pair) == 2 else 400,
    )


# Analysis -----------------------------------------------------------------------


@demands_console
def analysis(request):
    """The analysis runs, newest first, and the button that starts one."""
    if not request.user.has_perm("demands.run_analysis"):
        raise PermissionDenied
    if request.method == "POST":
        if pipeline is None or not hasattr(pipeline, "start_run"):
            messages.error(request, _("The text analysis is not available yet."))
            return redirect("demands_console:analysis")
        try:
            run = pipeline.start_run(by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("demands_console:analysis")
        messages.success(request, _("The analysis has started."))
        return redirect(run)
    runs = AnalysisRun.objects.select_related("started_by")[:20]
    return render(request, "demands/console/analysis.html", {"runs": runs})


def _run_context(pk: int) -> dict:
    run = get_object_or_404(AnalysisRun.objects.select_related("started_by"), pk=pk)
    label = getattr(pipeline, "stage_label", None)
    return {"run": run, "stage": label(run.stage) if label else run.stage}


@demands_console
def run(request, pk: int):
    if not request.user.has_perm("demands.run_analysis"):
        raise PermissionDenied
    return render(request, "demands/console/run.html", _run_context(pk))


@demands_console
def run_progress(request, pk: int):
    """The progress fragment the run page polls."""
    if not request.user.has_perm("demands.run_analysis"):
        raise PermissionDenied
    return render(request, "demands/console/_run_progress.html", _run_context(pk))
