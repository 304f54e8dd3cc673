"""Appeals: an author contests a hide or a sanction; another moderator
decides."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from rules.contrib.views import permission_required


@login_required
def mine(request):
    return render(request, "moderation/mine.html", {})


@login_required
def appeal_file(request, pk):
    raise PermissionDenied


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def appeal_queue(request):
    raise PermissionDenied


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def appeal_decide(request, pk):
    raise PermissionDenied
