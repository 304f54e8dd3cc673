"""The moderators' queue: comments and replies, testimony, live questions
and suggestions awaiting a decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from moderation import content, selectors, services
from moderation.forms import BulkDecisionForm, DecisionForm, QueueFilterForm

DONE = {
    "approve": _("The item is visible."),
    "hide": _("The item is hidden with your reason."),
    "request_edit": _("The author is asked to edit it."),
    "escalate": _("The item is escalated."),
}


def _require_moderator(request) -> None:
    if not request.user.moderator_roles.exists():
        raise PermissionDenied


def _back(request):
    """Back to the queue with its filters (a local address only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("moderation:queue")


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _errors(request, error) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


def _oldest(page, rows):
    if not page.object_list:
        return None
    if not page.has_other_pages():
        return min(row["waiting_since"] for row in page)
    return selectors.oldest_waiting(rows)


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def queue(request):
    roles = selectors.moderated_department_ids(moderator=request.user)
    if not roles:
        raise PermissionDenied
    departments = list(selectors.queue_departments(roles=roles))
    form = QueueFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.content_queue(moderator=request.user, filters=filters, roles=roles)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    items = selectors.queue_page(list(page))
    reasons = selectors.flag_reasons(items=items)
    recent = selectors.author_recent(items=items)
    decided = selectors.author_decisions(
        author_ids={i.author_id for i in items if i.author_id}
    )
    for item in items:
        item.ref = f"{item.kind.key}:{item.pk}"
        item.report_reasons = reasons.get((item.kind.content_type.pk, item.pk), [])
        item.author_recent = [
            other
            for other in recent.get((item.kind.key, item.author_id), [])
            if other.pk != item.pk
        ][:3]
        item.author_decisions = decided.get(item.author_id, 0)
        item.public_url = content.public_url(item)
    context = {
        "page": page,
        "items": items,
        "form": form,
        "oldest": _oldest(page, rows),
        "decisions": DecisionForm.base_fields["decision"].choices,
        "query": _without_page(request.GET),
    }
    return render(request, "moderation/queue.html", context)


@require_POST
@login_required
@permission_required("accounts.access_console", raise_exception=True)
def decide(request, pk, kind="comment"):
    item = content.load(kind, pk)
    if item is None:
        raise Http404
    if not request.user.has_perm("moderation.moderate_content", item):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request)
    decision = form.cleaned_data["decision"]
    try:
        services.DECISIONS[decision](request.user, item, form.cleaned_data["reason"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, DONE[decision])
    return _back(request)


@require_POST
@login_required
@permission_required("accounts.access_console", raise_exception=True)
def decide_bulk(request):
    _require_moderator(request)
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request)
    try:
        count = services.contents_decide(
            moderator=request.user,
            items=form.cleaned_data["refs"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            ngettext("%(n)d item decided.", "%(n)d items decided.", count)
            % {"n": count},
        )
    return _back(request)
