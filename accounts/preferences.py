"""The cookies that remember a browser's language and care mode."""

from django.conf import settings

ONE_YEAR = 365 * 24 * 3600
CARE_MODE_COOKIE = "minyi_care"


def remember_language(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


def remember_care_mode(response, enabled: bool) -> None:
    response.set_cookie(
        CARE_MODE_COOKIE,
        "1" if enabled else "0",
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
