"""What every API view shares: anonymous and read-only (the API shows what
a visitor sees), throttled, conditional GET."""

from django.http import Http404
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import generics
from rest_framework.views import APIView

from api.conditional import conditional
from api.pagination import Cursor


class PublicMixin:
    authentication_classes = []
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return conditional(super().as_view(**initkwargs))


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
