"""A resident's API keys: make one (shown once) and revoke it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import forms, services
from api.models import ApiKey


@login_required
def key_list(request):
    form = forms.ApiKeyForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                key, new_key = services.api_key_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as invalid:
                for message in invalid.messages:
                    form.add_error("name", message)
            else:
                form = forms.ApiKeyForm()
        if new_key is None:
            status = 400
    keys = ApiKey.objects.filter(user=request.user)
    context = {"form": form, "keys": keys, "new_key": new_key}
    return render(request, "api/keys.html", context, status=status)


@login_required
@require_POST
def key_revoke(request, pk: int):
    key = get_object_or_404(ApiKey, pk=pk, user=request.user)
    services.api_key_revoke(user=request.user, key=key)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("open_data:keys")
