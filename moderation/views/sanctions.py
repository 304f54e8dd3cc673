"""Sanctions: warn, mute or suspend an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from accounts.models import User
from moderation import sanctions, selectors
from moderation.forms import SanctionForm


@login_required
@permission_required("accounts.access_console", raise_exception=True)
@permission_required("moderation.sanction_user", raise_exception=True)
def sanction_list(request):
    form = SanctionForm(request.POST or None, initial=request.GET.dict())
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(email__iexact=data["account"]).first()
        if user is None:
            form.add_error("account", _("No account has this email address."))
        else:
            try:
                sanctions.sanction_impose(
                    moderator=request.user,
                    user=user,
                    kind=data["kind"],
                    reason=data["reason"],
                    days=data["days"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The sanction is in force and the person is told.")
                )
                return redirect("moderation:sanctions")
    if form.errors:
        status = 400
    context = {"form": form, "sanctions": selectors.recent_sanctions()}
    return render(request, "moderation/sanction_list.html", context, status=status)
