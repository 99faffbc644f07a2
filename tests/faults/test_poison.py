"""A poison task — one that kills the worker process running it — is handed out a
bounded number of times, then parked as a dead letter that administrators see, and the
tasks queued behind it run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import User
from config.celery import app
from config.models import DeadLetter
from tests.faults.processes import celery_worker, eventually
from tests.worker import purge

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_a_task_that_kills_its_worker_is_parked_after_five_deliveries_and_the_queue_drains(
    tmp_path: Path, admin_user: User, client: Client
) -> None:
    assert django_settings.CELERY_MAX_DELIVERIES == 5
    runs, notes = tmp_path / "runs", tmp_path / "notes"
    purge(["default"])
    with celery_worker(
        name="poison", queues="default", concurrency=1, include=["tests.faults.poison"]
    ) as worker:
        poison = app.send_task("default.faults_poison", args=[str(runs)])
        behind = [app.send_task("default.faults_note", args=[str(notes), n]) for n in range(5)]

        letter = eventually(
            lambda: DeadLetter.objects.filter(task_id=poison.id).first(),
            what="the poison task is parked as a dead letter",
        )
        eventually(lambda: len(lines(notes)) == len(behind), what="the tasks behind it ran")
        client_redis = redis.Redis.from_url(django_settings.REDIS_URL)
        eventually(lambda: client_redis.llen("default") == 0, what="the queue is empty")
        log = worker.text()

    assert letter is not None
    # Run five times, each time in a process that died; the sixth delivery was parked.
    assert len(lines(runs)) == 5
    assert len(set(lines(runs))) == 5
    assert sorted(int(n) for n in lines(notes)) == [0, 1, 2, 3, 4]
    assert letter.task_name == "default.faults_poison"
    assert letter.args == [str(runs)] and letter.kwargs == {}
    assert letter.deliveries == 6
    assert letter.queue == "default"
    assert letter.first_seen_at <= letter.last_seen_at
    assert "died on each of 5 deliveries" in letter.last_error
    assert log.count("delivered again") == 5
    assert f"default.faults_poison[{poison.id}] parked as a dead letter" in log

    client.force_login(admin_user)
    listing: Any = client.get("/admin/config/deadletter/")
    assert listing.status_code == 200
    assert poison.id in listing.content.decode()
    detail: Any = client.get(f"/admin/config/deadletter/{letter.pk}/change/")
    assert detail.status_code == 200
    assert "default.faults_poison" in detail.content.decode()
