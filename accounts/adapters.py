"""django-allauth hooks: mail goes out through Celery, never inside the
request; a fresh password sign-in counts as confirming the password."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from notifications import services as notification_services


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        notification_services.email_queue(message=message)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Ask for the password again only if it was not typed within the
        reauthentication timeout: an official sent to enrol an
        authenticator right after signing in is not asked twice."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = allauth_context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        oldest = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            record.get("method") == "password" and record.get("at", 0) > oldest
            for record in get_authentication_records(request, user)
        )
