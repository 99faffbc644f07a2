"""The backup and the restore of docs/operations.md, run for real.

Committed rows in the test database are dumped with ``scripts/backup.sh`` and restored
with ``scripts/restore.sh`` into a database of this module's own, made for the test and
dropped after it; every table must come back with the same rows.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from accounts.models import Role
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from vacancies.models import Employer

pytestmark = pytest.mark.usefixtures("committed_db")

ROOT = Path(__file__).resolve().parent.parent
RESTORED = f"borderless_restore_check_{os.getpid()}"


def _url(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _server() -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or "",
        dbname="postgres",
        autocommit=True,
    )


def _drop(name: str) -> None:
    with _server() as server:
        server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            row = db.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def _run(
    script: str, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def restored() -> Iterator[str]:
    _drop(RESTORED)
    yield _url(RESTORED)
    _drop(RESTORED)


def test_a_backup_restores_into_a_new_database_with_every_row(
    tmp_path: Path, restored: str
) -> None:
    owner = UserFactory.create(
        email="owner@caspian.kz", role=Role.EMPLOYER, full_name="Ерлан Жаксылыков"
    )
    employer = EmployerFactory.create(name="ТОО «Каспий Сервис»", country_id="KZ")
    MemberFactory.create(employer=employer, user=owner, role="owner")
    UserFactory.create_batch(25, role=Role.SEEKER)
    source = _url(connection.settings_dict["NAME"])
    before = _row_counts(source)
    dump = tmp_path / "borderless.dump"

    backup = _run("backup.sh", str(dump), database_url=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0
    assert not dump.with_name(dump.name + ".partial").exists()

    restore = _run("restore.sh", str(dump), restored)
    assert restore.returncode == 0, restore.stderr + restore.stdout
    assert f"database {RESTORED} has" in restore.stdout

    assert _row_counts(restored) == before
    with psycopg.connect(restored) as db:
        names = db.execute(
            "SELECT u.full_name, e.name FROM accounts_user u"
            " JOIN vacancies_employermember m ON m.user_id = u.id"
            " JOIN vacancies_employer e ON e.id = m.employer_id WHERE u.email = %s",
            ["owner@caspian.kz"],
        ).fetchall()
    assert names == [("Ерлан Жаксылыков", "ТОО «Каспий Сервис»")]
    assert before["accounts_user"] == 26
    assert before["taxonomy_country"] > 0  # the reference data came along
    assert Employer.objects.count() == 1  # the source is untouched


def test_a_restore_never_writes_over_an_existing_database(tmp_path: Path, restored: str) -> None:
    source = _url(connection.settings_dict["NAME"])
    dump = tmp_path / "borderless.dump"
    assert _run("backup.sh", str(dump), database_url=source).returncode == 0
    assert _run("restore.sh", str(dump), restored).returncode == 0

    again = _run("restore.sh", str(dump), restored)

    assert again.returncode != 0
    assert "exists already" in again.stderr
    assert _row_counts(restored) == _row_counts(source)  # the first restore is intact


def test_a_file_that_is_not_a_dump_is_refused_before_anything_is_made(
    tmp_path: Path, restored: str
) -> None:
    bogus = tmp_path / "not-a.dump"
    bogus.write_text("SELECT 1;\n")

    refused = _run("restore.sh", str(bogus), restored)

    assert refused.returncode != 0
    assert "not a pg_dump custom-format archive" in refused.stderr
    with _server() as server:
        made = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [RESTORED])
        assert made.fetchone() is None
