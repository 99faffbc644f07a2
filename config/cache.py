"""A Redis cache that a dead Redis does not take the web down with.

Django's ``RedisCache`` raises when Redis is gone, and the cache is read on requests
(the log-in and registration throttles, the saved-search visitor throttle): a stopped
Redis would turn those into 500s. Here a cache that cannot reach Redis behaves like an
empty cache that forgets what it is given: reads miss, writes are dropped, and one
warning is logged per process and per ten seconds. The throttles then let requests
through (the database-backed log-in lockout of django-axes still holds), and the
workers' cached values (exchange-rate version, beat heartbeat) are recomputed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
T = TypeVar("T")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 10.0


class FailSoftRedisCache(RedisCache):
    """``RedisCache`` whose reads miss and writes are dropped while Redis is down."""

    _warned_at = 0.0

    def _soft(self, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except UNREACHABLE:
            now = time.monotonic()
            if now - FailSoftRedisCache._warned_at > WARN_EVERY:
                FailSoftRedisCache._warned_at = now
                log.warning("the Redis cache is unreachable; working without it", exc_info=True)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._soft(lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft(lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), []
        )

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), False
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft(lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).clear(), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A missing key is a ValueError, as Django's contract says; so is an unreachable one.
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from exc
