"""A resident's own data: what they said (my participation), a download of
everything, and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import data_deletion, data_export, participation, tasks
from accounts.data_forms import AccountDeleteForm

# One export request per resident in this many seconds.
EXPORT_REQUEST_INTERVAL = 600


@login_required
def my_participation(request):
    sections = participation.participation(
        user=request.user,
        pages={
            key: request.GET.get(f"{key}_page")
            for key, _t, _s in participation.SECTIONS
        },
    )
    return render(request, "accounts/participation.html", {"sections": sections})


@login_required
def my_data(request):
    return render(
        request,
        "accounts/data.html",
        {"days": data_export.EXPORT_DAYS, "delete_form": None},
    )


@login_required
@require_POST
def data_export_request(request):
    """Queue the export; the link comes by mail (never built in the
    request)."""
    user_id = request.user.pk
    if not cache.add(f"data-export:{user_id}", 1, EXPORT_REQUEST_INTERVAL):
        messages.warning(
            request,
            _(
                "Your data is already being prepared. The link will come by "
                "mail; you can ask again in ten minutes."
            ),
        )
        return redirect("accounts:data")
    transaction.on_commit(lambda: tasks.data_export_build.delay(user_id=user_id))
    messages.success(
        request,
        _(
            "Your data is being prepared. We will mail you a download link, "
            "valid for %(days)d days."
        )
        % {"days": data_export.EXPORT_DAYS},
    )
    return redirect("accounts:data")


@login_required
def data_download(request, token: str):
    """Only the owner, signed in, with a link not yet expired."""
    name = data_export.file_for(token=token, user=request.user)
    if name is None:
        raise Http404(_("This download link is not valid or has expired."))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename="minyi-my-data.zip",
        content_type="application/zip",
    )


@login_required
def account_delete(request):
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data_deletion.account_delete(
            user=user,
            keep_contributions=form.cleaned_data["contributions"] == "keep",
        )
        logout(request)
        messages.success(
            request, _("Your account is deleted and your personal data erased.")
        )
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def logout_everywhere(request):
    """End every session of the account, this one included."""
    data_deletion.sessions_end(user=request.user)
    logout(request)
    messages.success(request, _("You are logged out everywhere."))
    return redirect("account_login")
