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

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("borderless")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_HEARTBEAT_KEY = "borderless:beat:last"
log = logging.getLogger(__name__)


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
