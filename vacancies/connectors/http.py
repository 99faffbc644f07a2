"""Fetching from other systems politely: time-outs, a pause between requests, and a
bounded number of retries of what is worth retrying."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """The source did not answer usefully; the run stops and keeps its old cursor."""


class Fetcher:
    """GETs with at most one request per ``min_interval`` seconds, retrying time-outs,
    dropped connections and 429/5xx answers ``retries`` times with back-off (honouring
    Retry-After up to a minute); any other error answer fails at once."""

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        min_interval: float | None = None,
        retries: int = 3,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(20.0, connect=5.0),
            follow_redirects=True,
            headers={"User-Agent": f"Borderless federation (+{settings.SITE_URL})"},
        )
        self.min_interval = (
            settings.FEDERATION_REQUEST_INTERVAL_SECONDS if min_interval is None else min_interval
        )
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0
        self._last: float | None = None

    def _wait_turn(self) -> None:
        if self._last is not None:
            pause = self.min_interval - (time.monotonic() - self._last)
            if pause > 0:
                self.sleep(pause)
        self._last = time.monotonic()

    def get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                response = self.client.get(url, params=params)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
                self.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self.sleep(self._retry_after(response) or self.backoff * 2**attempt)
                continue
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            return response
        raise FetchError(f"{url}: gave up")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("Retry-After", "")
        return min(float(value), 60.0) if value.isdigit() else None

    def close(self) -> None:
        self.client.close()
