from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from config.celery import BEAT_HEARTBEAT_KEY, app, heartbeat
from tests.worker import celery_worker


@pytest.fixture(scope="module")
def worker() -> Iterator[None]:
    with celery_worker(name="foundation"):
        yield


def test_tasks_are_routed_to_their_apps_queue():
    route = app.amqp.router.route
    assert route({}, "matching.match_vacancy")["queue"].name == "matching"
    assert route({}, "notifications.deliver")["queue"].name == "notifications"
    # Telling people of matches never holds up the next matching run.
    assert route({}, "matching.announce")["queue"].name == "notifications"
    assert route({}, "default.heartbeat")["queue"].name == "default"


def test_the_worker_acknowledges_late_one_task_at_a_time_in_json():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert {q.name for q in conf.task_queues} == {"default", "matching", "notifications"}


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_answers(client: Client):
    # Runs before the module's worker starts: nothing consumes the test broker yet.
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert body["checks"]["worker"] == {
        "ok": False,
        "error": "RuntimeError: no Celery worker answered a ping",
        "ms": body["checks"]["worker"]["ms"],
    }


@pytest.mark.worker
def test_a_task_sent_through_redis_is_run_by_a_real_worker(worker: None):
    cache.delete(BEAT_HEARTBEAT_KEY)
    result = heartbeat.delay().get(timeout=20)
    assert result["pid"] > 0 and result["worker"] == socket.gethostname()
    assert cache.get(BEAT_HEARTBEAT_KEY) == result["at"]


@pytest.mark.worker
@pytest.mark.django_db
def test_healthz_is_200_with_a_worker_attached(worker: None, client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert all(check["ok"] for check in body["checks"].values())
    assert any(name.startswith("foundation-") for name in body["checks"]["worker"]["workers"])
