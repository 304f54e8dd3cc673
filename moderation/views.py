"""The moderators' queue for consultation comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from consultations.models import Comment
from moderation import selectors, services
from moderation.forms import DecisionForm


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def queue(request):
    if not request.user.moderator_roles.exists():
        raise PermissionDenied
    page = Paginator(selectors.comment_queue(moderator=request.user), 25).get_page(
        request.GET.get("page")
    )
    reasons = selectors.flag_reasons(comment_ids=[c.pk for c in page])
    for comment in page:
        comment.report_reasons = reasons.get(comment.pk, [])
    return render(request, "moderation/comment_queue.html", {"page": page})


@require_POST
@login_required
@permission_required("accounts.access_console", raise_exception=True)
def decide(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("moderation:queue")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.comment_approve(moderator=request.user, comment=comment)
            messages.success(request, _("The comment is visible."))
        else:
            services.comment_hide(
                moderator=request.user,
                comment=comment,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The comment is hidden with your reason."))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("moderation:queue")
