"""PostgreSQL restarted under load — a private cluster of the test's own, with a copy of
the test database — while a seeker keeps editing through the web (gunicorn) and a worker
matches each edit: errors only while the server is down, none after, and neither the
web nor the worker needs a restart."""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Any

import httpx
import psycopg
import pytest
from django.db import connection
from knox.models import AuthToken

from accounts.models import Role
from seekers.models import Visibility
from tests.factories import UserFactory
from tests.faults.processes import (
    PG_BIN,
    celery_worker,
    eventually,
    private_postgres,
    run_python,
    web_server,
)
from tests.seekers.factories import make_profile

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

AFTER = 40  # requests made once the server is back


def copy_database(url: str) -> None:
    """The test database (schema and rows) into the private cluster."""
    settings = connection.settings_dict
    dump = subprocess.run(
        [
            str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "-h",
            settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U",
            settings["USER"] or "postgres", settings["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", url],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_postgres_restart_costs_errors_only_while_it_is_down(tmp_path: Any) -> None:
    user = UserFactory.create(role=Role.SEEKER, email="restart@faults.test")
    profile = make_profile(user, visibility=Visibility.ALL_EMPLOYERS)
    key = AuthToken.objects.create(user=user)[1]

    with private_postgres() as cluster:
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE borderless")
        url = cluster.url("borderless")
        copy_database(url)
        env = {"DATABASE_URL": url, "MATCHING_SEEKER_DEBOUNCE_SECONDS": "0",
               "MATCHING_RELAY_GRACE_SECONDS": "1"}  # fmt: skip

        with (
            web_server(name="web-pg", env=env) as web,
            celery_worker(name="pg", queues="matching,notifications", env=env) as worker,
        ):
            log: list[tuple[float, float, int | str]] = []
            stop = threading.Event()

            def edits() -> None:
                http = httpx.Client(
                    base_url=web.url, headers={"Authorization": f"Token {key}"}, timeout=30
                )
                n = 0
                while not stop.is_set():
                    n += 1
                    started = time.monotonic()
                    try:
                        answer: int | str = http.patch(
                            "/api/v1/profile/", json={"headline": f"Edit {n}"}
                        ).status_code
                    except httpx.HTTPError as exc:
                        answer = type(exc).__name__
                    log.append((started, time.monotonic(), answer))
                    time.sleep(0.05)

            editor = threading.Thread(target=edits)
            editor.start()
            try:
                eventually(lambda: len(log) >= 10, what="the edits are under way")
                down_at = time.monotonic()
                cluster.pg_ctl("restart", "-m", "fast")
                eventually(cluster.accepts, what="the restarted server accepts connections")
                back_at = time.monotonic()
                eventually(
                    lambda: sum(1 for started, _, _ in log if started > back_at) >= AFTER,
                    what=f"{AFTER} edits after the restart",
                )
            finally:
                stop.set()
                editor.join(timeout=60)

            # A request is in the window if any part of it fell between the start of
            # the restart and the moment the server accepted connections again.
            before = [answer for _, finished, answer in log if finished < down_at]
            after = [answer for started, _, answer in log if started > back_at]
            assert len(before) >= 10 and len(after) >= AFTER
            assert set(before) == {200}
            assert set(after) == {200}, after

            # The worker, never restarted, matches the last edit (the relay re-sends a
            # request whose run failed while the server was down).
            def matched() -> bool:
                run_python("from matching.tasks import relay; relay()", env=env)
                with psycopg.connect(url) as db:
                    row = db.execute(
                        "SELECT r.requested_at IS NULL AND r.last_run_at >= p.updated_at"
                        " FROM matching_matchrequest r JOIN seekers_seekerprofile p"
                        " ON p.id = r.object_id WHERE r.kind = 'seeker' AND p.id = %s",
                        [profile.pk],
                    ).fetchone()
                return bool(row and row[0])

            eventually(matched, what="the last edit is matched", every=1)
            assert worker.process.poll() is None and web.process.poll() is None
            assert "Unrecoverable error" not in worker.text()
