"""Deliveries through a real Celery worker, to a real SMTP sink and HTTP receiver:
a worker killed with SIGKILL mid-batch, then restarted, leaves nothing unsent and
nothing sent twice under a different id."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.utils import timezone

from accounts.models import Role
from notifications import services
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    WebhookEndpoint,
)
from tests.factories import UserFactory
from tests.notifications.sinks import http_receiver, smtp_sink
from tests.worker import celery_worker

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

EMAILS = 500
EVENTS = 500
CONCURRENCY = 2
T = TypeVar("T")


def eventually(check: Callable[[], T], *, what: str, timeout: float = 90) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.1)


def kill_hard(pid: int) -> None:
    """SIGKILL the worker and its pool processes at once, as a power cut would."""
    children = [
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit()
        and Path(f"/proc/{entry}/stat").exists()
        and Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid)
    ]
    for target in (pid, *children):
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signal.SIGKILL)


def sent() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.SENT).count()


def make_batch(webhook_url: str) -> list[int]:
    user = UserFactory.create(role=Role.SEEKER, email="many@example.kz")
    endpoint = WebhookEndpoint.objects.create(employer_id=1, url=webhook_url, secret="s" * 64)
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Kind.STATUS_CHANGED,
            title=f"Message {n}",
            body=f"Body {n}",
            data={"vacancy_title": f"Vacancy {n}", "status": "interview"},
            language="en",
            idempotency_key=f"batch:{n}",
        )
        for n in range(EMAILS)
    )
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                channel=Channel.EMAIL,
                notification=note,
                idempotency_key=f"email:{note.pk}",
                next_attempt_at=now,
            )
            for note in notes
        ]
        + [
            Delivery(
                channel=Channel.WEBHOOK,
                endpoint=endpoint,
                event_type="test.batch",
                payload={"n": n},
                idempotency_key=f"webhook:{endpoint.pk}:batch:{n}",
                next_attempt_at=now,
            )
            for n in range(EVENTS)
        ]
    )
    return [d.pk for d in deliveries]


def test_a_worker_killed_mid_batch_and_restarted_sends_every_delivery_once(
    settings: Any,
) -> None:
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    with smtp_sink() as (port, mails), http_receiver() as (url, hooks):
        ids = make_batch(url)
        env = {
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "NOTIFICATIONS_DELIVERY_LEASE_SECONDS": "3",
            "CELERY_VISIBILITY_TIMEOUT": "5",
        }
        with celery_worker(
            queues="notifications", concurrency=CONCURRENCY, name="deliveries", env=env
        ) as worker:
            for pk in ids:
                assert services.dispatch(pk)
            eventually(lambda: sent() >= len(ids) // 5, what="a fifth is sent")
            kill_hard(worker.process.pid)
            worker.process.wait(timeout=10)
        cut_at = sent()
        assert cut_at < len(ids), "the worker finished before it was killed"

        with celery_worker(
            queues="notifications", concurrency=CONCURRENCY, name="deliveries-2", env=env
        ):

            def all_sent() -> bool:
                # Tasks the dead worker held come back after the visibility time-out;
                # deliveries it had claimed, once their lease ends, via the sweep.
                services.deliveries_sweep()
                return sent() == len(ids)

            eventually(all_sent, what="every delivery is sent", timeout=120)

    mail_ids, hook_ids = mails.ids(), hooks.ids()
    repeats = (Counter(mail_ids) + Counter(hook_ids)) - Counter(set(mail_ids) | set(hook_ids))
    assert len(set(mail_ids)) == EMAILS
    assert len(set(hook_ids)) == EVENTS
    # Only a send caught between the receiver's "accepted" and our commit can repeat,
    # with the same id: at most one per pool process.
    assert sum(repeats.values()) <= CONCURRENCY
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
