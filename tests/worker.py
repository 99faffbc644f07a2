"""Start a real Celery worker process for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent
QUEUES = "default,matching,notifications"


@dataclass(frozen=True)
class Worker:
    process: subprocess.Popen[bytes]
    hostname: str
    log: Path


def worker_env(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The worker talks to the same test database and Redis database as the test."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=(
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{connection.settings_dict['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        # The worker's log (.var/worker-*.log) shows each task received and its result.
        LOG_LEVEL="INFO",
    )
    env.update(overrides or {})
    return env


def purge(queues: Iterable[str]) -> int:
    """Empty the test broker's queues, and drop what a killed worker left unacknowledged
    (Redis would hand it to the next worker): tasks of an earlier run must not leak in."""
    with app.connection_for_write() as conn:
        # The Redis transport's channel, which knows the keys its messages live in.
        channel: Any = conn.default_channel
        dropped = sum(int(channel.queue_purge(name) or 0) for name in queues)
        with channel.conn_or_acquire() as client:
            client.delete(channel.unacked_key, channel.unacked_index_key)
    return dropped


@contextmanager
def celery_worker(
    *,
    queues: str = QUEUES,
    concurrency: int = 1,
    name: str = "test",
    env: Mapping[str, str] | None = None,
) -> Iterator[Worker]:
    """A worker consuming ``queues`` (comma-separated), with ``env`` over the test's
    environment (``MATCHING_SHARDS``...), stopped (warm) when the block ends."""
    hostname = f"{name}-{os.getpid()}@localhost"
    log = (ROOT / ".var").resolve()
    log.mkdir(exist_ok=True)
    purge(queues.split(","))
    with (log / f"worker-{name}.log").open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--queues", queues, "--concurrency", str(concurrency),
                "--hostname", hostname, "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT,
            env=worker_env(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"the worker exited with {process.returncode}; see {output.name}"
                    )
                replies = app.control.ping(destination=[hostname], timeout=0.5)
                if replies:
                    break
            else:
                raise RuntimeError("the worker did not answer a ping in 30 s")
            yield Worker(process=process, hostname=hostname, log=Path(output.name))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
