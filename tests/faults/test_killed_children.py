"""A worker whose pool processes are killed with SIGKILL every couple of seconds while
5,000 matching tasks and 5,000 deliveries run: every task completes, every e-mail and
webhook event reaches the outside world, none under two ids, and the worker's log shows
the tasks it was handed again."""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.db import transaction

from matching import services as matching
from matching.models import Kind, MatchRequest, MatchRun
from notifications import services as notifications
from notifications.models import Delivery, DeliveryStatus
from tests.factories import EmployerFactory
from tests.faults import world
from tests.faults.processes import celery_worker, eventually
from tests.notifications.sinks import http_receiver, smtp_sink
from tests.worker import purge

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

# The figure is 5,000 of each (FAULTS_FULL=1); the suite's default keeps this
# test within a minute or two on a 2-core machine shared with others.
FULL = os.environ.get("FAULTS_FULL") == "1"
MATCHING_TASKS = 5000 if FULL else 1000
EMAILS = 2500 if FULL else 500
EVENTS = 2500 if FULL else 500
CONCURRENCY = 4
KILL_EVERY = 2.0  # seconds
DEADLINE = 1800.0 if FULL else 400.0


def test_pool_processes_killed_every_few_seconds_lose_no_task_and_send_nothing_twice(
    settings: Any,
) -> None:
    # Beat's sweep and relay run from this process, as often as the test polls.
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    settings.MATCHING_RELAY_GRACE_SECONDS = 10
    purge(["matching", "notifications"])
    # The first seeker made the others (and asked for its own run): not one of them.
    seekers = world.seekers(MATCHING_TASKS + 1, tag="killed")[1:]
    rng = random.Random(9)
    kills: list[int] = []
    with smtp_sink() as (port, mails), http_receiver() as (url, hooks):
        ids = world.deliveries(
            emails=EMAILS,
            events=EVENTS,
            webhook_url=url,
            employer_id=EmployerFactory.create(name="ТОО «Faults»").pk,
        )
        env = {
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            # A delivery claimed by a killed process is free again after three seconds.
            "NOTIFICATIONS_DELIVERY_LEASE_SECONDS": "3",
        }
        with celery_worker(
            name="killed", queues="matching,notifications", concurrency=CONCURRENCY, env=env
        ) as worker:
            with transaction.atomic():
                matching.match_request(kind=Kind.SEEKER, ids=seekers, debounce=False)
            assert notifications.deliveries_sweep(limit=len(ids)) == len(ids)

            def pending() -> tuple[int, int]:
                runs = MatchRequest.objects.filter(
                    object_id__in=seekers, requested_at__isnull=False
                ).count()
                unsent = Delivery.objects.exclude(status=DeliveryStatus.SENT).count()
                return runs, unsent

            broker = redis.Redis.from_url(django_settings.REDIS_URL)
            deadline = time.monotonic() + DEADLINE
            next_kill = time.monotonic() + KILL_EVERY
            while pending() != (0, 0):
                assert time.monotonic() < deadline, (
                    f"not within {DEADLINE:.0f} s: every task done; (runs, deliveries) "
                    f"left: {pending()} (see {worker.log})"
                )
                if time.monotonic() >= next_kill:
                    victim = worker.kill_a_child(rng)
                    if victim is not None:
                        kills.append(victim)
                    next_kill = time.monotonic() + KILL_EVERY
                # What beat does every minute, here once a queue is empty: deliveries
                # whose process died after claiming them, requests whose task was lost.
                if not broker.llen("notifications"):
                    notifications.deliveries_sweep(limit=len(ids))
                if not broker.llen("matching"):
                    matching.match_requests_relay(limit=MATCHING_TASKS)
                time.sleep(0.5)
            eventually(lambda: worker.children(), what="the worker still has its pool")
            log = worker.text()
            assert worker.process.poll() is None, "the worker itself died"

    # Every matching task completed, each run committed exactly once.
    assert not MatchRequest.objects.filter(object_id__in=seekers, last_run_at__isnull=True).exists()
    runs = Counter(
        MatchRun.objects.filter(kind=Kind.SEEKER, object_id__in=seekers).values_list(
            "object_id", flat=True
        )
    )
    assert set(runs) == set(seekers)
    assert set(runs.values()) == {1}

    # Every notification reached the outside world, under its own id.
    mail_ids = mails.ids()
    # A process killed in the middle of a POST leaves the receiver a truncated body
    # without an id: not an event (a real receiver answers it 400), at most one per kill.
    received = hooks.snapshot()
    cut = sum(1 for item in received if item["id"] is None)
    hook_ids = [item["id"] for item in received if item["id"] is not None]
    assert len(set(mail_ids)) == EMAILS
    assert len(set(hook_ids)) == EVENTS
    # A process killed between the receiver's "accepted" and our commit of "sent" makes
    # the one repeat that no sender can rule out: the same id again (receivers drop it),
    # at most one per kill.
    repeats = (Counter(mail_ids) + Counter(hook_ids)) - Counter(set(mail_ids) | set(hook_ids))
    assert sum(repeats.values()) + cut <= len(kills)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == len(ids)

    # The kills landed on running tasks, which were handed out again.
    assert len(kills) >= 3
    assert re.search(r"exited with 'signal 9 \(SIGKILL\)'", log)
    assert re.search(r"task (matching|notifications)\.\w+\[[^\]]+\] delivered again", log)
