"""Absolute links to the public pages, for the API, feeds and Open311."""

from django.conf import settings
from django.urls import NoReverseMatch


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def demand_path(demand) -> str:
    """The demand's public page (a stable path, even before its app routes
    its pages)."""
    try:
        return demand.get_absolute_url()
    except NoReverseMatch:
        return f"/demands/{demand.pk}/"
