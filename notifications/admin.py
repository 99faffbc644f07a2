"""Admin: notifications, preferences, the delivery log and webhook endpoints, to look
at. The services and the API write them; the admin writes nothing, and a webhook's
secret is never shown."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, Notification, Preference, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _json(value: Any) -> SafeString:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "recipient", "email", "title", "created_at", "read_at")
    list_filter = ("kind", "digest_pending", "created_at")
    list_select_related = ("recipient",)
    search_fields = ("recipient__email", "email", "idempotency_key", "title")
    date_hierarchy = "created_at"
    fields = (
        "kind", "recipient", "email", "language", "title", "body", "link", "subject_type",
        "subject_id", "data_json", "idempotency_key", "created_at", "read_at",
        "digest_pending", "digest",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("data"))
    def data_json(self, notification: Notification) -> SafeString:
        return _json(notification.data)


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_enabled", "frequency", "min_match_score", "time_zone")
    list_filter = ("email_enabled", "frequency")
    list_select_related = ("user",)
    search_fields = ("user__email",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The log of every e-mail and webhook attempt."""

    list_display = (
        "idempotency_key", "channel", "status", "attempts", "response_code", "created_at",
        "sent_at", "next_attempt_at",
    )  # fmt: skip
    list_filter = ("channel", "status", "created_at")
    search_fields = ("idempotency_key", "event_type")
    date_hierarchy = "created_at"
    fields = (
        "channel", "notification", "endpoint", "event_type", "payload_json",
        "idempotency_key", "status", "attempts", "next_attempt_at", "claimed_until",
        "response_code", "last_error", "created_at", "sent_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("payload"))
    def payload_json(self, delivery: Delivery) -> SafeString:
        return _json(delivery.payload)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("employer_id", "url", "active", "created_at", "updated_at")
    list_filter = ("active",)
    search_fields = ("url",)
    # The secret signs the employer's events: staff have no need to read it.
    fields = ("employer_id", "url", "active", "created_at", "updated_at")
    readonly_fields = fields
