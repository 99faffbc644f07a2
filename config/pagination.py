"""The one pagination class of the API: cursor pagination over an ordered queryset.

Cursors stay stable while rows are added (a new vacancy does not shift page two) and
cost the same on page 1 and page 1,000. Views set ``ordering`` to a unique order.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Pagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
