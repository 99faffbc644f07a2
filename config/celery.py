"""The Celery application: Redis broker, three queues, beat.

Settings come from Django's ``CELERY_*`` settings; tasks are found in each app's
``tasks.py``. Task names start with the app label (``matching.match_vacancy``) and
the routes in settings send each app's tasks to its own queue.
"""

from __future__ import annotations

import os
import socket
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("borderless")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_HEARTBEAT_KEY = "borderless:beat:last"


@app.task(name="default.heartbeat", ignore_result=False)
def heartbeat() -> dict[str, object]:
    """Record that beat and a worker are alive; ``/healthz`` reads the time back."""
    from django.core.cache import cache

    now = time.time()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return {"worker": socket.gethostname(), "pid": os.getpid(), "at": now}
