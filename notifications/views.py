"""A resident's in-app notifications, what they follow and how they want to
be told; unsubscribing from a mail without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import preferences, selectors, services, unsubscribe
from notifications.forms import FollowAddForm, FollowForm, PreferencesForm

NOTIFICATIONS_PER_PAGE = 30


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


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
    target = _safe_next(request, "")
    if target:
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


def _follows_page(request, *, add_form=None, preferences_form=None, status=200):
    user = request.user
    context = {
        "follows": selectors.follow_list(user=user),
        "add_form": add_form or FollowAddForm(),
        "preferences_form": preferences_form
        or PreferencesForm(current=preferences.preferences_of(user=user)),
        "home_area": user.home_area if user.home_area_id else None,
    }
    return render(request, "notifications/follow_list.html", context, status=status)


@login_required
def follow_list(request):
    """What I follow, and how I want to be told of each kind of event."""
    return _follows_page(request)


@login_required
@require_POST
def follow_add(request):
    form = FollowAddForm(request.POST)
    if not form.is_valid():
        return _follows_page(request, add_form=form, status=400)
    target = form.cleaned_data["target"]
    services.follow_ensure(user=request.user, **target)
    messages.success(
        request,
        _("You now follow %(name)s.") % {"name": next(iter(target.values()))},
    )
    return redirect("notifications:follows")


@login_required
@require_POST
def follow_toggle(request):
    """Follow or unfollow one thing from any page (``next`` goes back)."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose something to follow."))
    target = selectors.follow_target(
        target=form.cleaned_data["target"], pk=form.cleaned_data["target_id"]
    )
    if target is None:
        return HttpResponseBadRequest(_("There is nothing to follow here."))
    following = services.follow_toggle(
        user=request.user, **{form.cleaned_data["target"]: target}
    )
    if following:
        messages.success(request, _("You now follow %(name)s.") % {"name": target})
    else:
        messages.success(
            request, _("You no longer follow %(name)s.") % {"name": target}
        )
    return redirect(_safe_next(request, "notifications:follows"))


@login_required
@require_POST
def preferences_save(request):
    user = request.user
    form = PreferencesForm(request.POST, current=preferences.preferences_of(user=user))
    if not form.is_valid():
        return _follows_page(request, preferences_form=form, status=400)
    preferences.preferences_set(user=user, choices=form.cleaned_data)
    messages.success(request, _("Your notification choices are saved."))
    return redirect("notifications:follows")


def unsubscribe_page(request, token: str):
    """Stop one kind of mail from a link in it, without logging in: the
    page asks to confirm, and the confirmation is a POST (a link scanner
    following the GET changes nothing)."""
    subscription = unsubscribe.subscription_from(token)
    if subscription is None:
        return render(
            request, "notifications/unsubscribe.html", {"invalid": True}, status=400
        )
    done = False
    if request.method == "POST":
        preferences.mail_off(user=subscription.user, kinds=subscription.kinds)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"subscription": subscription, "done": done},
    )


# RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" with no
# cookie and no CSRF token. The signed token in the address is the only
# credential that matters here, and a forged request cannot carry it
# without having the mail, so CSRF protection adds nothing on this view.
@csrf_exempt
def unsubscribe_one_click(request, token: str):
    if request.method != "POST":
        return redirect("notifications:unsubscribe", token=token)
    subscription = unsubscribe.subscription_from(token)
    if subscription is None:
        return HttpResponseBadRequest("invalid unsubscribe link")
    preferences.mail_off(user=subscription.user, kinds=subscription.kinds)
    return HttpResponse("unsubscribed", content_type="text/plain")
