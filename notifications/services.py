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
from django.db.models import Count
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


def notify(*, recipients: Sequence[User], message: Message) -> list[Notification]:
    """Tell each recipient, once per event: in the inbox always, by e-mail as their
    preferences say (at once, or in the next digest). Call inside the transaction
    that commits the event."""
    return notify_many(items=[(recipients, message)])


def notify_many(*, items: Sequence[tuple[Sequence[User], Message]]) -> list[Notification]:
    """``notify`` for many events at once, as a matching run's announcements need: the
    same outcome as one call each, in order, in a handful of statements for the whole
    batch instead of five for every notification."""
    pairs = [(user, message) for recipients, message in items for user in recipients]
    pairs = [(user, message) for user, message in pairs if user.is_active]
    if not pairs:
        return []
    user_ids = {user.pk for user, _ in pairs}
    chosen = {p.user_id: p for p in Preference.objects.filter(user__in=user_ids)}
    told = _scores_told(pairs)
    wanted: dict[str, tuple[User, Message, Preference]] = {}
    for user, message in pairs:
        preference = chosen.get(user.pk) or Preference(user=user)
        if message.kind in MATCH_KINDS:
            key = _match_key(user, message, preference, told)
            if key is None:
                continue
        else:
            key = f"{message.key}:{user.pk}"
        wanted.setdefault(key, (user, message, preference))
    # Told already (a task run twice): nothing rendered, no hourly budget spent on it.
    for key in Notification.objects.filter(idempotency_key__in=list(wanted)).values_list(
        "idempotency_key", flat=True
    ):
        del wanted[key]
    sent_this_hour = _instant_emails_this_hour(user_ids)
    planned: list[tuple[Notification, bool | None]] = []
    for key, (user, message, preference) in wanted.items():
        language = user.preferred_language or settings.LANGUAGE_CODE
        context = {**message.context, "recipient_name": user.full_name, "link": message.link}
        title, body = render(message.kind, context, language=language)
        data = {**message.context}
        if message.score is not None:
            data["score"] = message.score
        email_now = _email_now(user.pk, message.kind, preference, sent_this_hour)
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
            digest_pending=email_now is False,
        )
        planned.append((notification, email_now))
    return _insert_planned(planned)


def _scores_told(
    pairs: list[tuple[User, Message]],
) -> dict[tuple[int, str, str, int | None], float]:
    """The score last told of each (recipient, kind, subject) among the match kinds."""
    wanted = [(u, m) for u, m in pairs if m.kind in MATCH_KINDS]
    if not wanted:
        return {}
    rows = (
        Notification.objects.filter(
            recipient_id__in={u.pk for u, _ in wanted},
            kind__in={m.kind for _, m in wanted},
            subject_type__in={m.subject_type for _, m in wanted},
            subject_id__in={m.subject_id for _, m in wanted},
        )
        .order_by("recipient_id", "kind", "subject_type", "subject_id", "-created_at", "-id")
        .distinct("recipient_id", "kind", "subject_type", "subject_id")
        .values_list("recipient_id", "kind", "subject_type", "subject_id", "data")
    )
    return {
        (recipient, kind, subject_type, subject_id): float(data.get("score", 0.0))
        for recipient, kind, subject_type, subject_id, data in rows
    }


def _match_key(
    user: User,
    message: Message,
    preference: Preference,
    told: dict[tuple[int, str, str, int | None], float],
) -> str | None:
    """The idempotency key of a match notification, or None when it must not be told:
    below the recipient's minimum, or not risen enough since it was last told."""
    if message.score is None or message.score < preference.min_match_score:
        return None
    subject = (user.pk, message.kind, message.subject_type, message.subject_id)
    last = told.get(subject)
    if last is not None and message.score < last + settings.NOTIFICATIONS_RESCORE_MARGIN:
        return None
    told[subject] = message.score  # a later item of the same batch compares with this one
    # The scores told of one match only rise, so the score keeps the key unique.
    return f"{message.key}:{user.pk}:{message.score:.1f}"


def _instant_emails_this_hour(user_ids: set[int]) -> dict[int, int]:
    since = timezone.now() - timedelta(hours=1)
    return dict(
        Delivery.objects.filter(
            channel=Channel.EMAIL, notification__recipient_id__in=user_ids, created_at__gte=since
        )
        .values_list("notification__recipient_id")
        .annotate(sent=Count("id"))
        .order_by()
    )


def _email_now(
    user_id: int, kind: str, preference: Preference, sent_this_hour: dict[int, int]
) -> bool | None:
    """True: e-mail it now; False: in the next digest (the frequency or the hourly limit
    says so); None: inbox only."""
    if not preference.email_enabled or kind in preference.muted_kinds:
        return None
    if preference.frequency != Frequency.INSTANT:
        return False
    sent = sent_this_hour.get(user_id, 0)
    if sent >= preference.max_instant_per_hour:
        return False
    sent_this_hour[user_id] = sent + 1
    return True


_INSERT_SQL = """
INSERT INTO notifications_notification
    (recipient_id, email, kind, subject_type, subject_id, link, title, body, data, language,
     idempotency_key, created_at, read_at, digest_pending, digest_id)
VALUES {rows}
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, idempotency_key
"""
_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, NULL, %s, NULL)"
INSERT_CHUNK = 1000


def _insert_planned(planned: list[tuple[Notification, bool | None]]) -> list[Notification]:
    """Insert the notifications, and the e-mail deliveries of those to be sent now, in
    a few statements for the lot; a key taken meanwhile by another worker telling the
    same is skipped (the unique key decides, no race)."""
    now = timezone.now()
    made: list[Notification] = []
    for start in range(0, len(planned), INSERT_CHUNK):
        chunk = planned[start : start + INSERT_CHUNK]
        params: list[Any] = []
        for notification, _ in chunk:
            notification.created_at = now
            params += [
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
            ]
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_SQL.format(rows=", ".join([_ROW] * len(chunk))), params)
            ids = dict((key, pk) for pk, key in cursor.fetchall())
        for notification, _ in chunk:
            if notification.idempotency_key in ids:
                notification.pk = ids[notification.idempotency_key]
                notification._state.adding = False
                made.append(notification)
    inserted = {n.pk for n in made}
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            channel=Channel.EMAIL,
            notification=notification,
            idempotency_key=f"email:{notification.pk}",
            next_attempt_at=now,
        )
        for notification, email_now in planned
        if email_now and notification.pk in inserted
    )
    _dispatch_on_commit([delivery.pk for delivery in deliveries])
    return made


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
    _dispatch_on_commit([delivery.pk])
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
        _dispatch_on_commit([delivery.pk])
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


def _dispatch_on_commit(delivery_ids: list[int]) -> None:
    """Send the deliveries' tasks after the commit, batched with the transaction's
    others: one task per hundred deliveries costs the worker far less than one each."""
    if not delivery_ids:
        return
    if not connection.in_atomic_block:
        for delivery_id in delivery_ids:
            dispatch(delivery_id)
        return
    pending: _Pending | None = getattr(connection, _PENDING, None)
    # A flush no longer waiting (run, or dropped with a rolled-back transaction or
    # savepoint) starts a new batch with a flush of its own.
    if pending is None or not any(entry[1] is pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        setattr(connection, _PENDING, pending)
        transaction.on_commit(pending.flush)
    pending.ids.extend(delivery_ids)


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


def notifications_forget(*, subject_type: str, subject_ids: Sequence[int]) -> int:
    """Delete every notification about these subjects, and its deliveries: a seeker who
    erases the account leaves no name or contact in anyone's inbox or outbox."""
    deleted, _by_model = Notification.objects.filter(
        subject_type=subject_type, subject_id__in=list(subject_ids)
    ).delete()
    return deleted
