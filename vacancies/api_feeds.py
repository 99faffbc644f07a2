"""Federation over the API: each vacancy as ``JobPosting`` JSON-LD, the feed other
systems pull, and the import runs and sources for administrators.

- ``GET vacancies/{id}/jobposting/`` — ``application/ld+json`` (or ``application/json``),
  for every vacancy that was published; a closed one has ``validThrough`` in the past.
- ``GET feeds/jobpostings/`` — JSON lines (``application/x-ndjson``), one ``JobPosting``
  a line, in the order vacancies changed. ``updated_since`` (ISO 8601) starts from a
  moment; ``cursor`` continues after a page; ``limit`` (1–1000, default 100). Every
  answer carries ``X-Next-Cursor``: keep it and ask again later for what changed since;
  ``Link: rel="next"`` is there while a full page suggests more.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vacancies import selectors_federation
from vacancies.jsonld import vacancy_jobposting
from vacancies.models import ImportRun, Source

FEED_LIMIT, FEED_MAX_LIMIT = 100, 1000


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class JSONLinesRenderer(BaseRenderer):
    """A list as one JSON document per line; anything else (an error) as one line."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        items = data if isinstance(data, list) else [data]
        return b"".join(
            json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            for item in items
        )


class VacancyJobPostingView(APIView):
    """The vacancy as schema.org JobPosting JSON-LD (drafts are not found)."""

    permission_classes = (AllowAny,)
    renderer_classes = (JSONLDRenderer, JSONRenderer)

    @extend_schema(
        responses={
            (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
        operation_id="vacancy_jobposting",
    )
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(selectors_federation.vacancies_exported(), pk=pk)
        return Response(vacancy_jobposting(vacancy))


def _encode_cursor(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment_text, pk_text = raw.rsplit("|", 1)
        moment = parse_datetime(moment_text)
        pk = int(pk_text)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise serializers.ValidationError({"cursor": "Not a cursor this feed gave."}) from exc
    if moment is None or timezone.is_naive(moment) or not 0 <= pk < 2**63:
        raise serializers.ValidationError({"cursor": "Not a cursor this feed gave."})
    return moment, pk


class FeedQuerySerializer(serializers.Serializer[dict[str, Any]]):
    updated_since = serializers.DateTimeField(required=False)
    cursor = serializers.CharField(required=False, max_length=200)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=FEED_MAX_LIMIT, default=FEED_LIMIT
    )


class JobPostingFeedView(APIView):
    """Every vacancy ever published, as JSON lines of JobPosting, oldest change first."""

    permission_classes = (AllowAny,)
    renderer_classes = (JSONLinesRenderer, JSONRenderer)

    @extend_schema(
        parameters=[FeedQuerySerializer],
        responses={(200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.OBJECT)},
        operation_id="feed_jobpostings",
    )
    def get(self, request: Request) -> Response:
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        after = _decode_cursor(params["cursor"]) if params.get("cursor") else None
        limit = params["limit"]
        page = selectors_federation.vacancies_feed(
            updated_since=params.get("updated_since"), after=after, limit=limit
        )
        headers: dict[str, str] = {}
        cursor = _encode_cursor(page[-1].updated_at, page[-1].pk) if page else params.get("cursor")
        if cursor:
            headers["X-Next-Cursor"] = cursor
            if len(page) == limit:
                url = request.build_absolute_uri(request.path)
                headers["Link"] = (
                    f'<{url}?{urlencode({"cursor": cursor, "limit": limit})}>; rel="next"'
                )
        return Response([vacancy_jobposting(v) for v in page], headers=headers)


# --- For administrators -------------------------------------------------------------


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    source_name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = ImportRun
        fields = (
            "id", "source_name", "origin", "status", "started_at", "finished_at", "cursor_before",
            "cursor_after", "records", "created", "updated", "unchanged", "merged", "skipped",
            "problems", "unmapped", "error",
        )  # fmt: skip
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer[Source]):
    class Meta:
        model = Source
        fields = (
            "id", "name", "kind", "url", "fetch_enabled", "fetch_interval_minutes", "cursor",
            "last_run_at", "last_counts",
        )  # fmt: skip
        read_only_fields = fields


class ImportRunFilter(filters.FilterSet):
    source = filters.CharFilter(field_name="source__name")

    class Meta:
        model = ImportRun
        fields = ("source", "status")


class ImportRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportRun]
):
    """The report of each import run, newest first (``?source=trudvsem``)."""

    permission_classes = (IsAdminUser,)
    serializer_class = ImportRunSerializer
    filterset_class = ImportRunFilter
    cursor_ordering = ("-started_at", "-id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[ImportRun]:
        return selectors_federation.import_runs()


class SourceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Source]):
    """The sources vacancies are imported from, with their cursor and last counts."""

    permission_classes = (IsAdminUser,)
    serializer_class = SourceSerializer
    cursor_ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[Source]:
        return selectors_federation.sources()
