"""Profile and console pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from accounts import preferences, selectors, services
from accounts.forms import ProfileForm


@login_required
def profile(request):
    user = request.user
    if request.method == "POST" and "refresh" in request.POST:
        form = ProfileForm(initial=ProfileForm.initial_from(request.POST))
    elif request.method == "POST":
        form = ProfileForm(request.POST, initial=ProfileForm.initial_for(user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    user=user,
                    display_name=data["display_name"],
                    preferred_language=data["preferred_language"],
                    care_mode=data["care_mode"],
                    home_area=data["home_area"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # In the language just chosen: it is the next page's.
                with translation.override(user.preferred_language):
                    messages.success(request, _("Your profile has been saved."))
                response = redirect("accounts:profile")
                preferences.remember_language(response, user.preferred_language)
                preferences.remember_care_mode(response, user.care_mode)
                return response
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user))
    return render(request, "accounts/user_profile.html", {"form": form})


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def console(request):
    context = selectors.console_overview(user=request.user)
    return render(request, "accounts/console.html", context)
