"""The one pagination class of the API: cursor pagination over an ordered queryset.

Cursors stay stable while rows are added (a new vacancy does not shift page two) and
cost the same on page 1 and page 1,000. A view names its unique order in
``cursor_ordering`` (default: newest id first).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class Pagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        ordering = getattr(view, "cursor_ordering", None)
        if ordering:
            return (ordering,) if isinstance(ordering, str) else tuple(ordering)
        return tuple(super().get_ordering(request, queryset, view))
