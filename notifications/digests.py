"""Digests: the notifications kept back from e-mail, gathered into one e-mail per person
when their own clock says so.

A notification is kept back (``digest_pending``) when its recipient wants a daily or a
weekly digest, or had more instant e-mails within the hour than they allow. Beat runs
``digests_send`` every hour; for each person with something pending it works out the
digest slot due now in their time zone and makes one digest notification for it. The
slot names the idempotency key, so a second run in the same hour, or two runs at once,
make one digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications import services
from notifications.models import Frequency, Kind, Notification, Preference

log = logging.getLogger(__name__)

# A daily or weekly digest still goes out this long after its hour (beat was down, or
# its hourly run fell just after the hour); later, the pending wait for the next slot.
CATCH_UP = timedelta(hours=6)
# More than this many in one e-mail is a wall of text; the rest are counted, and all
# are attached to the digest in the inbox.
MAX_ITEMS = 50
# Where a digest's button leads: the site's front page until the inbox has a page.
INBOX_PATH = "/"


@dataclass(frozen=True)
class DigestSlot:
    """The digest due now: its period ("daily", "weekly", "hourly") and the local date
    (and hour, for hourly) that name it."""

    period: str
    name: str


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r in preferences; using %s", name, settings.TIME_ZONE)
        return ZoneInfo(settings.TIME_ZONE)


def digest_slot(preference: Preference, now: datetime) -> DigestSlot | None:
    """The digest due at ``now`` for someone with these preferences, or None.

    Instant: every hourly run (what the hourly limit kept back goes out in the next
    one). Daily and weekly: from the local ``digest_hour`` (on ``digest_weekday``) for
    ``CATCH_UP``.
    """
    local = now.astimezone(_zone(preference.time_zone))
    if preference.frequency == Frequency.INSTANT:
        return DigestSlot(period="hourly", name=f"{local:%Y-%m-%d}:{local:%H}")
    weekly = preference.frequency == Frequency.WEEKLY
    # Wall-clock arithmetic on the local time: the slot stays at the chosen hour
    # across a change of daylight-saving time.
    slot = local.replace(hour=preference.digest_hour, minute=0, second=0, microsecond=0)
    if weekly:
        slot -= timedelta(days=(slot.weekday() - preference.digest_weekday) % 7)
    if slot > local:
        slot -= timedelta(days=7 if weekly else 1)
    if local - slot >= CATCH_UP:
        return None
    return DigestSlot(period="weekly" if weekly else "daily", name=f"{slot:%Y-%m-%d}")


def digest_key(user: User, slot: DigestSlot) -> str:
    return f"digest:{user.pk}:{slot.name}"


def digests_send(now: datetime | None = None) -> int:
    """Make and e-mail every digest due at ``now``; return how many were made."""
    now = now or timezone.now()
    user_ids = list(
        Notification.objects.filter(digest_pending=True, recipient__isnull=False)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    made = 0
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        preference = preferences.get(user.pk) or Preference(user=user)
        slot = digest_slot(preference, now)
        if slot is None:
            continue
        try:
            digest = digest_make(user=user, preference=preference, slot=slot)
        except Exception:  # noqa: BLE001 - one person's bad data must not stop everyone's digest
            log.exception("could not make the digest of user %s", user.pk)
            continue
        made += digest is not None
    return made


@transaction.atomic
def digest_make(*, user: User, preference: Preference, slot: DigestSlot) -> Notification | None:
    """The user's digest for ``slot`` with everything pending, e-mailed once the
    transaction commits; None when it was made already or there is nothing to send."""
    key = digest_key(user, slot)
    if Notification.objects.filter(idempotency_key=key).exists():
        # Made in an earlier run: what came since waits for the next slot.
        return None
    # Locked so that a notification cannot be both in this digest and in another.
    pending = list(
        Notification.objects.select_for_update()
        .filter(recipient=user, digest_pending=True)
        .order_by("created_at", "id")
    )
    wanted = [n for n in pending if n.kind not in preference.muted_kinds]
    unwanted = [n.pk for n in pending if n.kind in preference.muted_kinds]
    if not user.is_active or not preference.email_enabled:
        # E-mail was turned off after these were kept back: nothing will send them.
        unwanted += [n.pk for n in wanted]
        wanted = []
    if unwanted:
        Notification.objects.filter(pk__in=unwanted).update(digest_pending=False)
    if not wanted:
        return None
    data: dict[str, Any] = {
        "items": [{"title": n.title, "body": n.body, "link": n.link} for n in wanted[:MAX_ITEMS]],
        "period": slot.period,
        "total": len(wanted),
    }
    language = user.preferred_language or settings.LANGUAGE_CODE
    title, body = services.render(
        Kind.DIGEST,
        {**data, "link": INBOX_PATH, "recipient_name": user.full_name},
        language=language,
    )
    digest, created = Notification.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "recipient": user,
            "kind": Kind.DIGEST,
            "link": INBOX_PATH,
            "title": title,
            "body": body,
            "data": data,
            "language": language,
        },
    )
    if not created:
        return None
    Notification.objects.filter(pk__in=[n.pk for n in wanted]).update(
        digest=digest, digest_pending=False
    )
    services.email_enqueue(digest)
    return digest
