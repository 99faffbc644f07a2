"""The Celery application: Redis broker, three queues, beat.

Settings come from Django's ``CELERY_*`` settings; tasks are found in each app's
``tasks.py``. Task names start with the app label (``matching.match_vacancy``) and
the routes in settings send each app's tasks to its own queue.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime
from typing import Any

import redis
from celery import Celery
from celery import Task as BaseTask
from celery.exceptions import Ignore

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BEAT_HEARTBEAT_KEY = "borderless:beat:last"
log = logging.getLogger(__name__)

# --- Dead letters -------------------------------------------------------------------

# Redeliveries of one task id are counted here (a hash: count, first and last seen),
# next to the message itself; the key outlives any visibility time-out.
DELIVERIES_KEY = "borderless:deliveries:{}"
DELIVERIES_TTL = 24 * 60 * 60
_counter: redis.Redis | None = None


def _redeliveries(task_id: str) -> tuple[int, float] | None:
    """Count one more redelivery of the task: (redeliveries so far, first seen again);
    None if Redis cannot say (the task then runs, as it would without the count)."""
    global _counter  # noqa: PLW0603 - one client per process, made on first use
    key = DELIVERIES_KEY.format(task_id)
    now = time.time()
    try:
        if _counter is None:
            _counter = redis.Redis.from_url(app.conf.broker_url, socket_timeout=5)
        pipe = _counter.pipeline()
        pipe.hincrby(key, "count", 1)
        pipe.hsetnx(key, "first", now)
        pipe.expire(key, DELIVERIES_TTL)
        pipe.hget(key, "first")
        count, _, _, first = pipe.execute()
    except redis.RedisError:
        log.warning("could not count the deliveries of task %s", task_id, exc_info=True)
        return None
    return int(count), float(first or now)


class Task(BaseTask):  # type: ignore[type-arg]  # the base of every task, any signature
    """Every task of the platform: one that keeps killing its worker process is parked.

    A task is acknowledged only after it ran (``CELERY_TASK_ACKS_LATE``), so a task whose
    process dies is handed out again (``CELERY_TASK_REJECT_ON_WORKER_LOST``). Redis marks
    such a message *redelivered*; those are counted per task id, and once a task has been
    delivered more than ``CELERY_MAX_DELIVERIES`` times it becomes a ``DeadLetter`` row
    and is acknowledged without running, so the queue drains. A first delivery costs
    nothing: only redeliveries touch the counter.
    """

    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        from django.conf import settings

        request = self.request
        if request.is_eager or request.called_directly:
            return
        if not (request.delivery_info or {}).get("redelivered"):
            return
        counted = _redeliveries(task_id)
        if counted is None:
            return
        deliveries, first_seen = counted[0] + 1, counted[1]
        limit: int = settings.CELERY_MAX_DELIVERIES
        log.warning(
            "task %s[%s] delivered again: delivery %d of at most %d",
            self.name, task_id, deliveries, limit,
        )  # fmt: skip
        if deliveries <= limit:
            return
        from config.dead_letters import dead_letter_record

        dead_letter_record(
            task_id=task_id,
            task_name=self.name,
            args=list(args or ()),
            kwargs=dict(kwargs or {}),
            queue=str((request.delivery_info or {}).get("routing_key") or ""),
            deliveries=deliveries,
            first_seen=first_seen,
        )
        try:
            if _counter is not None:
                _counter.delete(DELIVERIES_KEY.format(task_id))
        except redis.RedisError:
            pass  # it expires by itself
        log.error(
            "task %s[%s] parked as a dead letter after %d deliveries",
            self.name,
            task_id,
            deliveries,
        )
        # Acknowledged without running: the worker moves on to the next message.
        raise Ignore()


app = Celery("borderless", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="default.heartbeat", ignore_result=False)
def heartbeat() -> dict[str, object]:
    """Record that beat and a worker are alive; ``/healthz`` reads the time back."""
    from django.core.cache import cache

    now = time.time()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return {"worker": socket.gethostname(), "pid": os.getpid(), "at": now}


# When a send fails the broker is taken to be down for this long: later sends in this
# process are skipped at once instead of each waiting for the Redis client's own
# retries (about six seconds). Work sent this way is always also kept in a table that
# a beat task sends again (the matching outbox, the deliveries), so nothing is lost.
BROKER_DOWN_PAUSE = 15.0
_broker_down_until = 0.0


def send_or_defer(name: str, args: list[object], *, eta: datetime | None = None) -> bool:
    """Send a task by name without publish retries; False if the broker is (just) down."""
    global _broker_down_until  # noqa: PLW0603 - one flag per process, on purpose
    if time.monotonic() < _broker_down_until:
        return False
    try:
        app.send_task(name, args=args, eta=eta, retry=False, ignore_result=True)
    except Exception:  # noqa: BLE001 - any broker failure: the caller's table keeps the work
        _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE
        log.warning("the broker is down; %s will be sent later", name, exc_info=True)
        return False
    _broker_down_until = 0.0
    return True
