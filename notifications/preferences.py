"""Changing a person's notification preferences: the one writer of ``Preference``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exports import fields_of
from accounts.models import User
from notifications.models import Frequency, Kind, Notification, Preference

SCORE_RANGE = (0, 100)
INSTANT_PER_HOUR_RANGE = (1, 100)
DIGEST_HOUR_RANGE = (0, 23)
DIGEST_WEEKDAY_RANGE = (0, 6)


@cache
def time_zones() -> frozenset[str]:
    """The IANA names this machine knows (read from disk once per process)."""
    return frozenset(available_timezones())


def _out_of(value: int, bounds: tuple[int, int]) -> str | None:
    low, high = bounds
    if low <= value <= high:
        return None
    return _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}


@transaction.atomic
def preference_update(
    *,
    user: User,
    muted_kinds: Sequence[str] | None = None,
    email_enabled: bool | None = None,
    frequency: str | None = None,
    min_match_score: int | None = None,
    max_instant_per_hour: int | None = None,
    time_zone: str | None = None,
    digest_hour: int | None = None,
    digest_weekday: int | None = None,
) -> Preference:
    """Set what is given (``None`` leaves a field as it is); the first change saves the
    defaults with it. Raises ``ValidationError`` with a message per field at fault."""
    errors: dict[str, str] = {}
    if muted_kinds is not None:
        unknown = sorted(set(muted_kinds) - set(Kind.values))
        if unknown:
            errors["muted_kinds"] = _("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    if frequency is not None and frequency not in Frequency.values:
        errors["frequency"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(Frequency.values)
        }
    if time_zone is not None and time_zone not in time_zones():
        errors["time_zone"] = _("Unknown time zone %(zone)s; give an IANA name such as %(e)s.") % {
            "zone": time_zone,
            "e": "Asia/Almaty",
        }
    for name, value, bounds in (
        ("min_match_score", min_match_score, SCORE_RANGE),
        ("max_instant_per_hour", max_instant_per_hour, INSTANT_PER_HOUR_RANGE),
        ("digest_hour", digest_hour, DIGEST_HOUR_RANGE),
        ("digest_weekday", digest_weekday, DIGEST_WEEKDAY_RANGE),
    ):
        message = None if value is None else _out_of(value, bounds)
        if message:
            errors[name] = message
    if errors:
        raise ValidationError(errors)

    # Locked, so two tabs saving at once apply one after the other.
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    changes = {
        "muted_kinds": sorted(set(muted_kinds)) if muted_kinds is not None else None,
        "email_enabled": email_enabled,
        "frequency": frequency,
        "min_match_score": min_match_score,
        "max_instant_per_hour": max_instant_per_hour,
        "time_zone": time_zone,
        "digest_hour": digest_hour,
        "digest_weekday": digest_weekday,
    }
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(preference, name, changes[name])
    if changed:
        preference.save(update_fields=[*changed, "updated_at"])
    return preference


def preferences_export(user: User) -> list[dict[str, Any]]:
    """The user's notification preferences (none until first saved), for the export."""
    return [fields_of(p, exclude=("user",)) for p in Preference.objects.filter(user=user)]


def notifications_export(user: User) -> list[dict[str, Any]]:
    """The user's inbox, each message with its e-mail deliveries, for the export."""
    return [
        fields_of(notification, exclude=("recipient",))
        | {
            "deliveries": [
                fields_of(delivery, exclude=("notification", "endpoint"))
                for delivery in notification.deliveries.all()
            ]
        }
        for notification in Notification.objects.filter(recipient=user)
        .prefetch_related("deliveries")
        .order_by("created_at", "id")
    ]
