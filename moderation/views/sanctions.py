"""Sanctions: warn, mute or suspend an account."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from rules.contrib.views import permission_required


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def sanction_list(request):
    if not request.user.moderator_roles.exists():
        raise PermissionDenied
    return render(request, "moderation/sanction_list.html", {})
