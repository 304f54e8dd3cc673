"""Per-request preferences (language, care mode) and the MFA requirement."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import rules as account_rules
from accounts.preferences import CARE_MODE_COOKIE


class PreferencesMiddleware:
    """Applies the account's language when the browser has not chosen one,
    and works out whether care mode (关怀版) is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        cookie = request.COOKIES.get(CARE_MODE_COOKIE)
        if cookie is not None:
            request.care_mode = cookie == "1"
        else:
            request.care_mode = user.is_authenticated and user.care_mode
        if (
            user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language != request.LANGUAGE_CODE
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class RequireMFAMiddleware:
    """Sends officials, moderators and administrators without a second
    factor to TOTP enrolment before any console page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.path.startswith(tuple(settings.MFA_REQUIRED_PATHS))
            and account_rules.needs_mfa(request.user)
            and not account_rules.has_mfa(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Officials and moderators must protect their account with "
                    "an authenticator app before using the console."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
