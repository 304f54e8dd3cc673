"""A resident's in-app notifications: read them, mark them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services

NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(
        selectors.notification_list(user=request.user), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one notification read, then go to what it is about (``next``)
    or back to the list."""
    services.notification_mark_read(user=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    messages.success(request, _("The notification is marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(
        request,
        _("All notifications are marked as read.")
        if count
        else _("Nothing was unread."),
    )
    return redirect("notifications:list")
