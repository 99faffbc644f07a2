"""Admin: matches, the matching outbox and the log of runs, to look at. The runs and
the API write them; the admin writes nothing."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from matching.models import Match, MatchRequest, MatchRun


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("vacancy", "seeker", "score", "standing", "status", "computed_at")
    list_filter = ("standing", "status", "engine_version", "computed_at")
    list_select_related = ("vacancy", "seeker")
    search_fields = ("vacancy__title",)
    fields = (
        "vacancy", "seeker", "score", "standing", "status", "status_changed_at",
        "engine_version", "vacancy_revision", "created_at", "computed_at", "explanation_json",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Match]:
        # The vacancy's search vector is kilobytes nobody reads here.
        return super().get_queryset(request).defer("vacancy__search_vector")

    @admin.display(description=_("explanation"))
    def explanation_json(self, match: Match) -> SafeString:
        text = json.dumps(match.explanation, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)


class PendingFilter(admin.SimpleListFilter):
    title = _("pending")
    parameter_name = "pending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("Pending"))), ("no", str(_("Done")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(requested_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(requested_at__isnull=True)
        return queryset


@admin.register(MatchRequest)
class MatchRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "kind", "object_id", "requested_at", "due_at", "dispatched_at", "last_run_at",
        "engine_version",
    )  # fmt: skip
    list_filter = (PendingFilter, "kind", "engine_version")
    search_fields = ("=object_id",)


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at", "kind", "object_id", "trigger", "duration_ms", "shards", "candidates",
        "created", "updated", "dropped", "engine_version",
    )  # fmt: skip
    list_filter = ("kind", "trigger", "engine_version")
    search_fields = ("=object_id",)
