"""Employer webhooks: JSON events signed with HMAC-SHA256 (to be completed)."""

from __future__ import annotations

from notifications.delivery import PermanentFailure
from notifications.models import Delivery


def send(delivery: Delivery) -> int | None:
    raise PermanentFailure("webhooks are not sent yet")
