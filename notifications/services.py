"""Telling people things: the one door every other app uses (``notify``), the
employer's webhook door (``notify_employer``), and the preferences that shape both.

Notifications sits low in the house: it imports only ``accounts``. The apps above it
(matching, vacancies) call these services inside their own transactions, so a
notification exists exactly when the event it tells of was committed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from config.celery import send_or_defer
from notifications.models import (
    MATCH_KINDS,
    Channel,
    Delivery,
    DeliveryStatus,
    Frequency,
    Kind,
    Notification,
    Preference,
    WebhookEndpoint,
)

log = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver"
BATCH_TASK = "notifications.deliver_batch"


@dataclass(frozen=True)
class Message:
    """What an app asks to tell: a kind, what it is about, and the data to render.

    ``key`` names the event (``match:42``, ``application:7:hired``); with the recipient
    it makes the notification's idempotency key. ``score`` is set for match kinds.
    """

    kind: str
    key: str
    subject_type: str = ""
    subject_id: int | None = None
    link: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    score: float | None = None


def preference_of(user: User) -> Preference:
    """The user's preferences; the defaults (unsaved) when they never chose."""
    found = Preference.objects.filter(user=user).first()
    return found if found is not None else Preference(user=user)


def render(kind: str, context: dict[str, Any], *, language: str) -> tuple[str, str]:
    """Title and plain-text body of a notification, in ``language``."""
    with translation.override(language):
        title = render_to_string(f"notifications/{kind}/title.txt", context).strip()
        body = render_to_string(f"notifications/{kind}/body.txt", context).strip()
    return " ".join(title.split())[:300], body


def _match_key(user: User, message: Message, preference: Preference) -> str | None:
    """The idempotency key of a match notification, or None when it must not be told:
    below the recipient's minimum, or not risen enough since it was last told."""
    if message.score is None or message.score < preference.min_match_score:
        return None
    told = (
        Notification.objects.filter(
            recipient=user,
            kind=message.kind,
            subject_type=message.subject_type,
            subject_id=message.subject_id,
        )
        .order_by("-created_at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    if told is not None:
        last = float(told.get("score", 0.0))
        if message.score < last + settings.NOTIFICATIONS_RESCORE_MARGIN:
            return None
    # The scores told of one match only rise, so the score keeps the key unique.
    return f"{message.key}:{user.pk}:{message.score:.1f}"


def notify(*, recipients: Sequence[User], message: Message) -> list[Notification]:
    """Tell each recipient, once per event: in the inbox always, by e-mail as their
    preferences say (at once, or in the next digest). Call inside the transaction
    that commits the event."""
    made: list[Notification] = []
    chosen = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in recipients])}
    for user in recipients:
        if not user.is_active:
            continue
        preference = chosen.get(user.pk) or Preference(user=user)
        if message.kind in MATCH_KINDS:
            key = _match_key(user, message, preference)
            if key is None:
                continue
        else:
            key = f"{message.key}:{user.pk}"
        language = user.preferred_language or settings.LANGUAGE_CODE
        context = {**message.context, "recipient_name": user.full_name, "link": message.link}
        title, body = render(message.kind, context, language=language)
        data = {**message.context}
        if message.score is not None:
            data["score"] = message.score
        route = _email_route(user, message.kind, preference)
        notification = Notification(
            recipient=user,
            kind=message.kind,
            subject_type=message.subject_type,
            subject_id=message.subject_id,
            link=message.link,
            title=title,
            body=body,
            data=data,
            language=language,
            idempotency_key=key,
            digest_pending=route == "digest",
        )
        if not _insert_once(notification):
            continue
        made.append(notification)
        if route == "now":
            _dispatch_on_commit(
                Delivery.objects.create(
                    channel=Channel.EMAIL,
                    notification=notification,
                    idempotency_key=f"email:{notification.pk}",
                    next_attempt_at=timezone.now(),
                )
            )
    return made


_INSERT_SQL = """
INSERT INTO notifications_notification
    (recipient_id, email, kind, subject_type, subject_id, link, title, body, data, language,
     idempotency_key, created_at, read_at, digest_pending, digest_id)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, NULL, %s, NULL)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id
"""


def _insert_once(notification: Notification) -> bool:
    """Insert unless its idempotency key is taken (then False): one statement where
    ``get_or_create`` takes four, and no race between two workers telling the same."""
    notification.created_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SQL,
            [
                notification.recipient_id,
                notification.email,
                notification.kind,
                notification.subject_type,
                notification.subject_id,
                notification.link,
                notification.title,
                notification.body,
                json.dumps(notification.data, cls=DjangoJSONEncoder),
                notification.language,
                notification.idempotency_key,
                notification.created_at,
                notification.digest_pending,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    notification.pk = row[0]
    notification._state.adding = False
    return True


def _email_route(user: User, kind: str, preference: Preference) -> str:
    """ "now" (an instant e-mail), "digest" (the next digest) or "none" (inbox only)."""
    if not preference.email_enabled or kind in preference.muted_kinds:
        return "none"
    if preference.frequency != Frequency.INSTANT:
        return "digest"
    since = timezone.now() - timedelta(hours=1)
    sent = Delivery.objects.filter(
        channel=Channel.EMAIL, notification__recipient_id=user.pk, created_at__gte=since
    ).count()
    return "digest" if sent >= preference.max_instant_per_hour else "now"


def email_enqueue(notification: Notification) -> Delivery:
    """An e-mail delivery of the notification, sent once the transaction commits."""
    delivery, _ = Delivery.objects.get_or_create(
        idempotency_key=f"email:{notification.pk}",
        defaults={
            "channel": Channel.EMAIL,
            "notification": notification,
            "next_attempt_at": timezone.now(),
        },
    )
    _dispatch_on_commit(delivery)
    return delivery


def notify_employer(
    *, employer_id: int, event_type: str, key: str, payload: dict[str, Any]
) -> Delivery | None:
    """Send a JSON event to the employer's webhook, if it has an active one; once per
    ``key``."""
    endpoint = WebhookEndpoint.objects.filter(employer_id=employer_id, active=True).first()
    if endpoint is None:
        return None
    delivery, created = Delivery.objects.get_or_create(
        idempotency_key=f"webhook:{endpoint.pk}:{key}",
        defaults={
            "channel": Channel.WEBHOOK,
            "endpoint": endpoint,
            "event_type": event_type,
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _dispatch_on_commit(delivery)
    return delivery


BATCH = 100
_PENDING = "_borderless_pending_deliveries"


class _Pending:
    """The deliveries one transaction made, sent as batches once it commits."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def flush(self) -> None:
        for start in range(0, len(self.ids), BATCH):
            if not send_or_defer(BATCH_TASK, [self.ids[start : start + BATCH]]):
                return  # the broker is down: the sweep sends them


def _dispatch_on_commit(delivery: Delivery) -> None:
    """Send the delivery's task after the commit, batched with the transaction's others:
    one task per hundred deliveries costs the worker far less than one each."""
    if not connection.in_atomic_block:
        dispatch(delivery.pk)
        return
    pending: _Pending | None = getattr(connection, _PENDING, None)
    # A flush no longer waiting (run, or dropped with a rolled-back transaction or
    # savepoint) starts a new batch with a flush of its own.
    if pending is None or not any(entry[1] is pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        setattr(connection, _PENDING, pending)
        transaction.on_commit(pending.flush)
    pending.ids.append(delivery.pk)


def dispatch(delivery_id: int, *, eta: Any = None) -> bool:
    """Send the delivery's task; if the broker is down, the sweep sends it later."""
    return send_or_defer(DELIVER_TASK, [delivery_id], eta=eta)


def deliveries_sweep(*, limit: int = 1000) -> int:
    """Send again the deliveries that are due and not taken (beat runs it every minute):
    created while the broker was down, put off for a retry, or left by a dead worker."""
    now = timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    due = list(
        Delivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
            next_attempt_at__lte=now - grace,
        )
        .exclude(claimed_until__gt=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for start in range(0, len(due), BATCH):
        if not send_or_defer(BATCH_TASK, [due[start : start + BATCH]]):
            break
        sent += len(due[start : start + BATCH])
    return sent


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    updated: int = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated


__all__ = ["Kind", "Message", "notify", "notify_employer"]
