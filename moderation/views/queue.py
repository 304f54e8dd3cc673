"""The moderators' queue for consultation comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from consultations.models import Comment
from moderation import selectors, services
from moderation.forms import BulkDecisionForm, DecisionForm, QueueFilterForm

DONE = {
    "approve": _("The comment is visible."),
    "hide": _("The comment is hidden with your reason."),
    "request_edit": _("The author is asked to edit the comment."),
    "escalate": _("The comment is escalated."),
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


def _oldest(page, items):
    if not page.object_list:
        return None
    if not page.has_other_pages():
        return min(c.waiting_since for c in page)
    return selectors.oldest_waiting(items)


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def queue(request):
    roles = selectors.moderated_department_ids(moderator=request.user)
    if not roles:
        raise PermissionDenied
    departments = list(selectors.queue_departments(roles=roles))
    form = QueueFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.comment_queue(
        moderator=request.user, filters=filters, roles=roles
    )
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    ids = [c.pk for c in page]
    reasons = selectors.flag_reasons(comment_ids=ids)
    recent = selectors.author_recent(
        author_ids=list({c.author_id for c in page if c.author_id})
    )
    for comment in page:
        comment.report_reasons = reasons.get(comment.pk, [])
        comment.author_recent = [
            c for c in recent.get(comment.author_id, []) if c.pk != comment.pk
        ]
    context = {
        "page": page,
        "form": form,
        "oldest": _oldest(page, items),
        "decisions": DecisionForm.base_fields["decision"].choices,
        "query": _without_page(request.GET),
    }
    return render(request, "moderation/comment_queue.html", context)


@require_POST
@login_required
@permission_required("accounts.access_console", raise_exception=True)
def decide(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request)
    decision = form.cleaned_data["decision"]
    try:
        services.DECISIONS[decision](request.user, comment, form.cleaned_data["reason"])
    except (PermissionDenied, ValidationError) as error:
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
        count = services.comments_decide(
            moderator=request.user,
            comment_ids=form.cleaned_data["comments"],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except (PermissionDenied, ValidationError) as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            ngettext("%(n)d comment decided.", "%(n)d comments decided.", count)
            % {"n": count},
        )
    return _back(request)
