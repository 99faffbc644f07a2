"""A scratch database for one benchmark run, made on the server of ``DATABASE_URL``
and dropped afterwards (connections to it closed first)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def scratch_database(name: str, *, keep: bool = False) -> Iterator[str]:
    """Yield the URL of a new, empty database ``name``; drop it at the end."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/borderless")
    config = environ.Env.db_url_config(base)
    admin = psycopg.connect(
        host=str(config["HOST"] or "127.0.0.1"),
        port=int(config["PORT"] or 5432),
        user=str(config["USER"] or "postgres"),
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        if not keep:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()


def manage(*command: str, env: dict[str, str]) -> float:
    """Run ``manage.py command`` against ``env``; the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def manage_all(commands: Sequence[Sequence[str]], *, env: dict[str, str]) -> None:
    for command in commands:
        seconds = manage(*command, env=env)
        print(f"{command[0]:<30} {seconds:7.1f} s")
