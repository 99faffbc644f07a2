"""The unread count beside "Inbox" in every page's header (one indexed count)."""

from __future__ import annotations

from django.http import HttpRequest

from notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient_id=user.pk, read_at__isnull=True
        ).count()
    }
