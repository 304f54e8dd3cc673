"""Cursor pagination for every list: a page costs the same however deep
it is, and rows added meanwhile do not shift it."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-id",)

    def decode_cursor(self, request):
        # A cursor that is not one of ours is a bad request, not a 404.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {"cursor": [_("This cursor is not valid.")]}
            ) from None

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["required"] = ["next", "previous", "results"]
        return schema
