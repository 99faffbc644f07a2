"""Start a real Celery worker process for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def worker_env() -> dict[str, str]:
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
    )
    return env


@contextmanager
def celery_worker(
    *, queues: str = "default,matching,notifications", concurrency: int = 1, name: str = "test"
) -> Iterator[subprocess.Popen[bytes]]:
    hostname = f"{name}-{os.getpid()}@localhost"
    log = (ROOT / ".var").resolve()
    log.mkdir(exist_ok=True)
    with (log / f"worker-{name}.log").open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--queues", queues, "--concurrency", str(concurrency),
                "--hostname", hostname, "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT,
            env=worker_env(),
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
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
