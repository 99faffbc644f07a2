"""``/healthz``: is the platform able to serve? JSON, 200 when all is well, else 503."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import BEAT_HEARTBEAT_KEY, app

WORKER_PING_TIMEOUT = 1.0


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _check_redis() -> dict[str, Any]:
    client = cache._cache.get_client()  # type: ignore[attr-defined]  # the redis-py client
    client.ping()
    return {}


def _check_worker() -> dict[str, Any]:
    # The first reply is enough to know a worker is attached; waiting for every worker
    # would hold the request for the whole timeout.
    replies = app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1) or []
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        raise RuntimeError("no Celery worker answered a ping")
    return {"workers": workers}


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # any failure of a dependency is reported, not raised
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _timed(_check_database),
        "redis": _timed(_check_redis),
        "worker": _timed(_check_worker),
    }
    healthy = all(check["ok"] for check in checks.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "unavailable", "checks": checks}
    # Beat is reported, not required: a platform without beat still serves requests.
    try:
        last = cache.get(BEAT_HEARTBEAT_KEY)
    except Exception:  # Redis being down is already reported above
        last = None
    body["beat"] = {"last_heartbeat_age_s": None if last is None else round(time.time() - last, 1)}
    return JsonResponse(body, status=200 if healthy else 503)
