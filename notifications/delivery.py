"""Sending one delivery: claim it, hand it to its channel, record what happened.

The claim is a conditional UPDATE (pending or lapsed → sending, with a lease), so two
workers never send the same delivery at once and a task delivered twice finds nothing
to do. A temporary failure puts the delivery off with exponential back-off for about a
day; a permanent one (a 4xx answer other than 429) stops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Channel, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=26)


class PermanentFailure(Exception):
    """Sending again would fail the same way (refused address, a 4xx answer)."""

    def __init__(self, message: str, *, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


class TemporaryFailure(Exception):
    """Worth another try later (a time-out, a 5xx or 429 answer, SMTP down)."""

    def __init__(self, message: str, *, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


# channel → function that sends the delivery and returns the response code, if any
Sender = Callable[[Delivery], int | None]


def _senders() -> dict[str, Sender]:
    from notifications.channels import email, webhook

    return {Channel.EMAIL: email.send, Channel.WEBHOOK: webhook.send}


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … doubling up to four hours: about 13 tries in a day."""
    wait: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


def delivery_claim(delivery_id: int) -> Delivery | None:
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(
            pk=delivery_id,
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
            next_attempt_at__lte=now + timedelta(seconds=1),
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            status=DeliveryStatus.SENDING,
            claimed_until=now + timedelta(seconds=settings.NOTIFICATIONS_DELIVERY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    # The recipient's preferences come along: an unsubscribe is checked before sending.
    return Delivery.objects.select_related(
        "notification__recipient__notification_preference", "endpoint"
    ).get(pk=delivery_id)


_CLAIM_MANY_SQL = """
UPDATE notifications_delivery
   SET status = 'sending', claimed_until = %(until)s, attempts = attempts + 1
 WHERE id = ANY(%(ids)s) AND status IN ('pending', 'sending') AND next_attempt_at <= %(due)s
   AND (claimed_until IS NULL OR claimed_until < %(now)s)
RETURNING id
"""
# Claimed together, sent one after another: a group must finish within one lease even
# if every webhook in it takes its full five seconds.
CLAIM_GROUP = 10


def deliveries_process(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch: claimed and read ten at a time (two statements for ten, not two
    each), each still sent and marked on its own."""
    with _commits_without_flush():
        return _process(delivery_ids)


@contextmanager
def _commits_without_flush() -> Iterator[None]:
    """The batch's claims and marks are committed without waiting for the disk.

    Once the server has a commit, a worker dying loses nothing; only a crash of
    PostgreSQL itself in that instant could lose a mark, and then the message goes out
    again under the same Message-ID or event id, the exposure a worker dying between
    the receiver's "accepted" and our commit has anyway. It saves a disk flush for
    every message sent. Set on the session for the batch only, outside any
    transaction (each mark is its own), and reset after it.
    """
    if connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _process(delivery_ids: list[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for start in range(0, len(delivery_ids), CLAIM_GROUP):
        group = delivery_ids[start : start + CLAIM_GROUP]
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_MANY_SQL,
                {
                    "ids": group,
                    "now": now,
                    "due": now + timedelta(seconds=1),
                    "until": now + timedelta(seconds=settings.NOTIFICATIONS_DELIVERY_LEASE_SECONDS),
                },
            )
            claimed = {row[0] for row in cursor.fetchall()}
        outcomes["not due, taken or done"] = (
            outcomes.get("not due, taken or done", 0) + len(group) - len(claimed)
        )
        for delivery in (
            Delivery.objects.select_related(
                "notification__recipient__notification_preference", "endpoint"
            )
            .filter(pk__in=claimed)
            .order_by("pk")
        ):
            outcome = _send_claimed(delivery)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def delivery_process(delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else holds it; say what happened."""
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return "not due, taken or done"
    return _send_claimed(delivery)


def _send_claimed(delivery: Delivery) -> str:
    from notifications.services import dispatch

    now = timezone.now()
    try:
        code = _senders()[delivery.channel](delivery)
    except PermanentFailure as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            response_code=exc.response_code,
            last_error=str(exc)[:2000],
        )
        log.warning("delivery %s failed for good: %s", delivery.pk, exc)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - anything else is worth another try
        code = exc.response_code if isinstance(exc, TemporaryFailure) else None
        if delivery.created_at + GIVE_UP_AFTER < now:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED,
                claimed_until=None,
                response_code=code,
                last_error=f"gave up after {delivery.attempts} tries: {exc}"[:2000],
            )
            return "gave up"
        retry_at = now + backoff(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            claimed_until=None,
            next_attempt_at=retry_at,
            response_code=code,
            last_error=str(exc)[:2000],
        )
        dispatch(delivery.pk, eta=retry_at)
        return "retry"
    _mark_sent(delivery.pk, code)
    return "sent"


def _mark_sent(delivery_id: int, code: int | None) -> None:
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT,
        claimed_until=None,
        sent_at=timezone.now(),
        response_code=code,
        last_error="",
    )
