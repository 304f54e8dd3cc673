"""Residents' reports of testimony, live questions and suggestions (and
comments, which also have their own report page in consultations), and
the author's edit after a moderator asked for one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config import ratelimit
from moderation import content, edits, reports
from moderation.forms import EditAsAskedForm, ReportForm
from moderation.models import ModerationAction


def _shown_to(user, item) -> bool:
    """Only what is public may be reported."""
    consultation = content.consultation_of(item)
    published = consultation is None or consultation.published_at is not None
    return item.status == content.VISIBLE and published


@login_required
def report(request, kind, pk):
    """Send an item to the moderators with a reason."""
    item = content.load(kind, pk)
    if item is None or not _shown_to(request.user, item):
        raise Http404(_("There is nothing to report here."))
    back = content.public_url(item)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit(request, "report")
            reports.content_report(user=request.user, item=item, **form.cleaned_data)
        except ratelimit.RateLimited as refusal:
            form.add_error(None, refusal.message)
            status = 429
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(back)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(back)
    if form.errors and status == 200:
        status = 400
    context = {"item": item, "kind": content.kind_of(item), "form": form, "back": back}
    return render(request, "moderation/report_form.html", context, status=status)


@login_required
def edit_as_asked(request, pk):
    """The author edits an item once after a moderator asked them to."""
    action = get_object_or_404(
        ModerationAction.objects.select_related("content_type"),
        pk=pk,
        subject=request.user,
        kind=ModerationAction.Kind.REQUEST_EDIT,
    )
    item = edits.edit_allowed(user=request.user, action=action)
    if item is None:
        messages.error(request, _("You can no longer edit this."))
        return redirect("moderation:mine")
    form = EditAsAskedForm(request.POST or None, initial={"body": item.body})
    if request.method == "POST" and form.is_valid():
        try:
            edits.content_edit_as_asked(
                user=request.user, action=action, body=form.cleaned_data["body"]
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("Thank you. Your text is changed and waits for a moderator."),
            )
            return redirect("moderation:mine")
    context = {"action": action, "item": item, "form": form}
    return render(
        request,
        "moderation/edit_as_asked.html",
        context,
        status=400 if form.errors else 200,
    )
