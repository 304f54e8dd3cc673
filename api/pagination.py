"""Cursor pagination for every list: a page costs the same however deep
it is, and rows added meanwhile do not shift it."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-id",)

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["required"] = ["next", "previous", "results"]
        return schema
