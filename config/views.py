"""Site-wide pages: home, about, health check, preferences, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from kombu import Connection

from accounts import preferences
from accounts import services as account_services
from config.celery import app as celery_app
from consultations import selectors as consultation_selectors


def home(request):
    context = consultation_selectors.home_sections()
    return render(request, "home.html", context)


def about(request):
    """How a consultation works, from the draft to the published answer."""
    return render(request, "about.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            celery_app.conf.broker_url,
            transport_options=celery_app.conf.broker_transport_options,
            connect_timeout=settings.HEALTHZ_BROKER_TIMEOUT,
        ) as conn:
            conn.ensure_connection(
                max_retries=1, timeout=settings.HEALTHZ_BROKER_TIMEOUT
            )
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    """200 with the status of each part; 503 when the database is down."""
    database = _database_ok()
    broker = _broker_ok()
    body = {
        "status": "ok" if database and broker else ("degraded" if database else "down"),
        "database": "ok" if database else "unavailable",
        "broker": "ok" if broker else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return target


@require_POST
def set_language(request):
    """Switch language (cookie), and remember it on the account."""
    response = HttpResponseRedirect(_safe_next(request))
    language = request.POST.get("language", "")
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        preferences.remember_language(response, language)
        account_services.user_preference_set(
            user=request.user, preferred_language=language
        )
    return response


@require_POST
def set_care_mode(request):
    """Turn care mode (关怀版) on or off for this browser and account."""
    enabled = request.POST.get("care_mode") == "1"
    response = HttpResponseRedirect(_safe_next(request))
    preferences.remember_care_mode(response, enabled)
    account_services.user_preference_set(user=request.user, care_mode=enabled)
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
