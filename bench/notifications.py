"""Throughput of the notification pipeline: notify_many() making in-app notifications
and their e-mail deliveries, then a real Celery worker sending them to a local SMTP sink.

.venv/bin/python bench/notifications.py                 # 10,000 notifications
.venv/bin/python bench/notifications.py --count 2000 --concurrency 2

Makes a scratch database, migrates it and creates recipients; prints notifications
per minute for each stage and end to end (target: 10,000 in-app + e-mail a minute).
Needs PostgreSQL and Redis (BENCH_REDIS_URL, database 8 by default). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]  # no stubs; installed with locust (dev extra)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.scratch import manage_all, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "borderless_bench_notify"
PER_USER = 5  # under the default hourly limit, so every one is an instant e-mail


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with scratch_database(SCRATCH) as url:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            MATCHING_INDEX_DIR=tempfile.mkdtemp(prefix="borderless-bench-"),
            LOG_LEVEL="WARNING",
            DEBUG="false",  # as deployed: templates compiled once (the cached loader)
        )
        manage_all([["migrate", "--noinput"]], env=env)
        os.environ.update(env)
        measure(args, env, port)


def cpu_of(process: psutil.Process) -> float:
    """User and system CPU of a process and its children (the worker's pool)."""
    total = sum(process.cpu_times()[:2])
    for child in process.children(recursive=True):
        total += sum(child.cpu_times()[:2])
    return float(total)


def per_minute(count: int, seconds: float) -> str:
    return f"{seconds:7.1f} s  = {count / seconds * 60:9,.0f} a minute"


def measure(args: argparse.Namespace, env: dict[str, str], port: int) -> None:
    ids_file = tempfile.mktemp(prefix="borderless-sink-", suffix=".txt")  # noqa: S306 - the sink creates it
    Path(ids_file).write_text("")
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.db import transaction

    from accounts.models import Role, User
    from config.celery import app
    from notifications.models import Delivery, DeliveryStatus, Kind
    from notifications.services import Message, notify_many

    # The sink runs in a process of its own, as a real relay would: in this process it
    # would compete with notify() for the interpreter lock.
    sink = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("smtp_sink.py")), str(port), ids_file],
        cwd=ROOT,
    )
    users = User.objects.bulk_create(
        User(
            email=f"bench{n}@example.kz",
            role=Role.SEEKER,
            preferred_language="ru" if n % 2 else "en",
        )
        for n in range(max(1, args.count // PER_USER))
    )
    app.control.purge()  # nothing left from an earlier run
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", "notifications",
         "--concurrency", str(args.concurrency), "--hostname", f"bench-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"bench-{os.getpid()}@localhost"], timeout=0.5):
            if time.monotonic() > deadline:
                raise RuntimeError("the worker did not start")
        # The worker sends while this process is still notifying: the pipeline as it runs.
        started = time.perf_counter()
        # In batches of 500, as a matching run announces its matches (notify_many).
        for start in range(0, args.count, 500):
            with transaction.atomic():
                notify_many(
                    items=[
                        (
                            [users[n % len(users)]],
                            Message(
                                kind=Kind.STATUS_CHANGED,
                                key=f"bench:{n}",
                                subject_type="application",
                                subject_id=n,
                                link=f"/applications/{n}/",
                                context={
                                    "vacancy_title": f"Сварщик #{n}",
                                    "employer_name": "ТОО «Каспий Сервис»",
                                    "status": "interview",
                                    "note": "",
                                    "other_party": "",
                                },
                            ),
                        )
                        for n in range(start, min(start + 500, args.count))
                    ]
                )
        notify_time = time.perf_counter() - started
        print(
            f"notify_many(): {args.count:,} in-app notifications + e-mail deliveries "
            f"{per_minute(args.count, notify_time)}   (while the worker sends)"
        )
        deadline = time.monotonic() + 1800
        # Counted from what the sink appended since the last look: re-reading the whole
        # file twenty times a second would take a core from the pipeline it measures.
        arrived = 0
        with open(ids_file, "rb") as appended:
            while arrived < args.count:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only {arrived} e-mails arrived")
                arrived += appended.read().count(b"\n")
                time.sleep(0.05)
        total = time.perf_counter() - started
        unsent = Delivery.objects.exclude(status=DeliveryStatus.SENT).count()
        print(
            f"end to end, notify_many() to the last e-mail at the SMTP sink ({args.concurrency} worker "
            f"processes): {per_minute(args.count, total)}   (target: 10,000 a minute)"
        )
        print(
            "CPU seconds: this process (notify_many) "
            f"{sum(psutil.Process().cpu_times()[:2]):.1f}, worker {cpu_of(psutil.Process(worker.pid)):.1f}, "
            f"SMTP sink {cpu_of(psutil.Process(sink.pid)):.1f}"
        )
        print(
            f"distinct Message-IDs at the sink: "
            f"{len(set(Path(ids_file).read_text().splitlines())):,}; "
            f"not marked sent: {unsent}"
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        sink.terminate()
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
