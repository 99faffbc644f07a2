"""How long the demo data takes to load, into a scratch database made for the run.

.venv/bin/python bench/seed_demo.py --seekers 20000 --vacancies 3000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "borderless_bench_seed"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=20000)
    parser.add_argument("--vacancies", type=int, default=3000)
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/borderless")
    config = environ.Env.db_url_config(base)
    admin = psycopg.connect(
        host=str(config["HOST"] or "127.0.0.1"),
        port=int(config["PORT"] or 5432),
        user=str(config["USER"] or "postgres"),
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    env = dict(os.environ, DATABASE_URL=base.rsplit("/", 1)[0] + "/" + SCRATCH, LOG_LEVEL="WARNING")

    def manage(*command: str) -> float:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - started

    try:
        migrate = manage("migrate", "--noinput")
        taxonomy = manage("load_taxonomy")
        taxonomy_again = manage("load_taxonomy")
        seed = manage(
            "seed_demo",
            "--seekers",
            str(args.seekers),
            "--vacancies",
            str(args.vacancies),
            "--seed",
            "1",
        )
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))
    print(f"migrate:                     {migrate:6.1f} s")
    print(f"load_taxonomy (first run):   {taxonomy:6.1f} s")
    print(f"load_taxonomy (second run):  {taxonomy_again:6.1f} s  (writes nothing)")
    print(
        f"seed_demo {args.seekers} seekers, {args.vacancies} vacancies: {seed:6.1f} s (target < 120 s)"
    )
    print(f"  = {args.seekers / seed:,.0f} seekers per second, including process start-up")


if __name__ == "__main__":
    main()
