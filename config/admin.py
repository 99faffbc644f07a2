"""Admin: the dead letters, to look at and, once the cause is fixed, to send again."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from config.dead_letters import dead_letter_resend
from config.models import DeadLetter


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin[DeadLetter]):
    list_display = ("task_name", "task_id", "deliveries", "last_seen_at", "resent_at")
    list_filter = ("task_name", "queue", "last_seen_at")
    search_fields = ("task_id", "task_name")
    date_hierarchy = "last_seen_at"
    fields = (
        "task_name", "task_id", "queue", "call_json", "deliveries", "first_seen_at",
        "last_seen_at", "last_error", "resent_at",
    )  # fmt: skip
    readonly_fields = fields
    actions = ("resend",)

    @admin.display(description=_("call"))
    def call_json(self, obj: DeadLetter) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(obj.call, indent=2, ensure_ascii=False))

    @admin.action(description=_("Send the selected tasks again"))
    def resend(self, request: HttpRequest, queryset: QuerySet[DeadLetter]) -> None:
        for letter in queryset:
            dead_letter_resend(letter=letter)
        self.message_user(request, _("Sent again: %d") % queryset.count(), messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
