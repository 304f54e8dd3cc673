"""What every API view shares: anonymous and read-only (the API shows what
a visitor sees), throttled, conditional GET, and a short shared cache of
whole responses.

Every visitor gets the same answer for the same URL, so a response is kept
for ``settings.API_CACHE_SECONDS`` (and marked ``Cache-Control: public``
for that long, so proxies may keep it too): a list is built once, not for
each of the clients polling it. Throttling still counts every request.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import generics
from rest_framework.views import APIView

from api.conditional import conditional
from api.pagination import Cursor


class _Cached(Exception):
    """Carries a cached response out of ``initial`` past the handler."""

    def __init__(self, response):
        self.response = response


class PublicMixin:
    authentication_classes = []
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return conditional(super().as_view(**initkwargs))

    def cache_version(self) -> str:
        """Part of the cache key that changes when the content does (a
        view that knows such a version returns it)."""
        return ""

    def _cache_key(self, request) -> str | None:
        if request.method != "GET" or not settings.API_CACHE_SECONDS:
            return None
        return (
            f"api:response:{get_language()}:{self.cache_version()}:"
            f"{request.get_full_path()}"
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttles every request
        self.cache_key = self._cache_key(request)
        if self.cache_key:
            hit = cache.get(self.cache_key)
            if hit is not None:
                content, content_type, modified = hit
                response = HttpResponse(content, content_type=content_type)
                if modified:
                    response["Last-Modified"] = modified
                raise _Cached(response)

    def handle_exception(self, exc):
        if isinstance(exc, _Cached):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "cache_key", None)
        if key and response.status_code == 200:
            patch_cache_control(
                response, public=True, max_age=settings.API_CACHE_SECONDS
            )
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
                cache.set(
                    key,
                    (
                        response.content,
                        response["Content-Type"],
                        response.get("Last-Modified"),
                    ),
                    settings.API_CACHE_SECONDS,
                )
        return response


class PublicList(PublicMixin, generics.ListAPIView):
    """A cursor-paginated list; ``row`` turns each object into its dict
    (``api.rows``), ``serializer_class`` describes it in the schema."""

    pagination_class = Cursor
    row = None

    def list(self, request, *args, **kwargs):
        objects = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self.make_row(o) for o in objects])

    def make_row(self, obj) -> dict:
        return type(self).row(obj)


class PublicView(PublicMixin, APIView):
    pass


def not_found(found, message=None):
    if found is None:
        raise Http404(message or _("Not found."))
    return found


def last_modified(response, *stamps):
    """Set Last-Modified to the latest of ``stamps`` (None ignored)."""
    stamps = [s for s in stamps if s is not None]
    if stamps:
        response["Last-Modified"] = http_date(max(stamps).timestamp())
    return response
