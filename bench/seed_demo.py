"""How long the demo data takes to load, into a scratch database made for the run.

.venv/bin/python bench/seed_demo.py --seekers 20000 --vacancies 3000
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.scratch import manage, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "borderless_bench_seed"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=20000)
    parser.add_argument("--vacancies", type=int, default=3000)
    args = parser.parse_args()

    with scratch_database(SCRATCH) as url:
        env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="WARNING")
        migrate = manage("migrate", "--noinput", env=env)
        taxonomy = manage("load_taxonomy", env=env)
        taxonomy_again = manage("load_taxonomy", env=env)
        seed = manage(
            "seed_demo",
            "--seekers",
            str(args.seekers),
            "--vacancies",
            str(args.vacancies),
            "--seed",
            "1",
            env=env,
        )
    print(f"migrate:                     {migrate:6.1f} s")
    print(f"load_taxonomy (first run):   {taxonomy:6.1f} s")
    print(f"load_taxonomy (second run):  {taxonomy_again:6.1f} s  (writes nothing)")
    print(
        f"seed_demo {args.seekers} seekers, {args.vacancies} vacancies: {seed:6.1f} s (target < 120 s)"
    )
    print(f"  = {args.seekers / seed:,.0f} seekers per second, including process start-up")


if __name__ == "__main__":
    main()
