"""Appeals: an author contests a hide or a sanction; another moderator
decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from moderation import appeals, selectors
from moderation.forms import AppealDecisionForm, AppealForm
from moderation.models import Appeal, ModerationAction


def _say(request, error) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


@login_required
def mine(request):
    """Decisions about the signed-in person, with a way to appeal each."""
    context = {
        "decisions": selectors.decisions_about(user=request.user),
        "sanction": selectors.active_sanction(user=request.user),
        "form": AppealForm(),
    }
    return render(request, "moderation/mine.html", context)


@require_POST
@login_required
def appeal_file(request, pk):
    action = get_object_or_404(
        ModerationAction.objects.select_related("content_type"),
        pk=pk,
        subject=request.user,
    )
    form = AppealForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("moderation:mine")
    try:
        appeals.appeal_file(
            user=request.user, action=action, text=form.cleaned_data["text"]
        )
    except (PermissionDenied, ValidationError) as error:
        _say(request, error)
    else:
        messages.success(
            request, _("Your appeal is sent. Another moderator will decide on it.")
        )
    return redirect("moderation:mine")


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def appeal_queue(request):
    roles = selectors.moderated_department_ids(moderator=request.user)
    if not roles:
        raise PermissionDenied
    context = {
        "appeals": selectors.open_appeals(moderator=request.user, roles=roles)[:50],
        "form": AppealDecisionForm(),
    }
    return render(request, "moderation/appeal_queue.html", context)


@require_POST
@login_required
@permission_required("accounts.access_console", raise_exception=True)
def appeal_decide(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("action", "action__content_type"), pk=pk
    )
    if not appeals.may_decide(moderator=request.user, appeal=appeal):
        raise PermissionDenied
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("moderation:appeals")
    try:
        appeals.appeal_decide(
            moderator=request.user,
            appeal=appeal,
            uphold=form.cleaned_data["decision"] == "uphold",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("The appeal is decided and the author is told."))
    return redirect("moderation:appeals")
