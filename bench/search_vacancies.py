"""How fast the public vacancy search answers, over 100,000 published vacancies.

Makes a scratch database, loads the taxonomy and the demo data (with the search vectors
rebuilt as after any bulk load), then times a mix of searches through the FilterSet the
API uses — each a first page of 20 with its prefetches, as the API fetches it — and
prints the median and 95th percentile of each, and the plans with the indexes used.

.venv/bin/python bench/search_vacancies.py --vacancies 100000 --runs 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from io import StringIO
from pathlib import Path
from typing import Any

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "borderless_bench_search"
PAGE = 21  # a page of 20 and the one after it, as the cursor paginator reads


def _admin_connection() -> tuple[psycopg.Connection[Any], str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/borderless")
    config = environ.Env.db_url_config(base)
    admin = psycopg.connect(
        host=str(config["HOST"] or "127.0.0.1"),
        port=int(config["PORT"] or 5432),
        user=str(config["USER"] or "postgres"),
        dbname="postgres",
        autocommit=True,
    )
    return admin, base.rsplit("/", 1)[0] + "/" + SCRATCH


def _scenarios(skill_ids: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Kinds of search, each with a few variants of different selectivity."""
    weld, pipe = skill_ids["welding"], skill_ids["pipe-welding"]
    python, django_ = skill_ids["python"], skill_ids["django"]
    cooking = skill_ids["cooking"]
    return {
        "full text, Russian (ranked)": [
            {"q": "сварщика"},
            {"q": "повар вахтовый"},
            {"q": "бухгалтер"},
            {"q": "разработчики"},
            {"q": "медицинская сестра"},
        ],
        "full text, English (ranked)": [
            {"q": "welding"},
            {"q": "python"},
            {"q": "cooking"},
            {"q": "accounting"},
            {"q": "bricklaying"},
        ],
        "full text + country, newest": [
            {"q": "сварщик", "country": "KZ", "ordering": "newest"},
            {"q": "welding", "country": "RU", "ordering": "newest"},
        ],
        "country + occupation": [
            {"country": "KZ", "occupation": "7212"},
            {"country": "RU", "occupation": "72"},
            {"country": "BY", "occupation": "2512"},
            {"country": "AM", "occupation": "2"},
            {"country": "KG", "occupation": "5120"},
        ],
        "salary with conversion": [
            {"salary_min": "300000", "salary_currency": "KZT"},
            {"salary_min": "1500", "salary_currency": "USD"},
            {"salary_min": "120000", "salary_currency": "RUB", "country": "RU"},
            {"salary_min": "4000", "salary_currency": "BYN", "ordering": "salary"},
        ],
        "skills (any, all)": [
            {"skills": f"{weld},{pipe}"},
            {"skills": f"{python},{django_}", "skills_all": "true"},
            {"skills": str(cooking), "country": "KZ"},
        ],
        "citizenship + remote + language": [
            {"open_to": "UZ", "country": "RU"},
            {"open_to": "KG", "remote": "true"},
            {"language": "en", "occupation": "25"},
        ],
    }


def _time(run: Callable[[], object], runs: int) -> list[float]:
    run()  # warm the connection and the caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def _bench(vacancies: int, runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from matching.demo.seed import demo_seed
    from taxonomy.models import Skill
    from vacancies.filters import VacancyFilter
    from vacancies.models import Vacancy
    from vacancies.selectors import vacancies_hydrate, vacancies_public, vacancies_public_keys
    from vacancies.services import vacancies_search_rebuild

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_taxonomy", stdout=StringIO())
    demo_seed(seekers=1, vacancies=vacancies, seed=1, today=timezone.localdate())
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    vacancies_search_rebuild()
    rebuilt = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    open_now = vacancies_public().count()
    print(f"{vacancies:,} vacancies ({open_now:,} open) seeded in {seeded:.0f} s")
    print(f"search vectors rebuilt in {rebuilt:.1f} s ({vacancies / rebuilt:,.0f} a second)")
    print()

    keys = ("welding", "pipe-welding", "python", "django", "cooking")
    skill_ids = {
        uri.rsplit(":", 1)[1]: pk
        for uri, pk in Skill.objects.filter(
            uri__in=[f"urn:borderless:skill:{k}" for k in keys]
        ).values_list("uri", "id")
    }

    def page(params: dict[str, Any]) -> list[Vacancy]:
        # What GET /api/v1/vacancies/ does: search and page the narrow rows, then load
        # the page whole with its skills and languages.
        filterset = VacancyFilter(data=params, queryset=vacancies_public_keys())
        if not filterset.is_valid():
            raise SystemExit(f"{params}: {filterset.errors}")
        return vacancies_hydrate(list(filterset.qs[:PAGE])[: PAGE - 1])

    def explain(params: dict[str, Any]) -> str:
        filterset = VacancyFilter(data=params, queryset=vacancies_public_keys())
        filterset.is_valid()
        plan: str = filterset.qs[:PAGE].explain(analyze=True)
        return plan

    everything: list[float] = []
    slowest: list[tuple[str, dict[str, Any]]] = []
    print(f"{'search':<58} {'median':>9} {'p95':>9}  rows ({runs} runs each)")
    for name, variants in _scenarios(skill_ids).items():
        print(name)
        timed = []
        for params in variants:
            samples = _time(partial(page, params), runs)
            everything += samples
            timed.append((statistics.median(samples), params))
            label = "  " + " ".join(f"{k}={v}" for k, v in params.items())
            print(
                f"{label:<58} {statistics.median(samples):6.1f} ms {_p95(samples):6.1f} ms"
                f"  {len(page(params))}"
            )
        slowest.append((name, max(timed, key=lambda t: t[0])[1]))
    print(
        f"{'all searches':<58} {statistics.median(everything):6.1f} ms {_p95(everything):6.1f} ms"
    )

    print()
    print("EXPLAIN (ANALYZE) of the slowest search of each kind: the vacancy tables' scans")
    for name, params in slowest:
        print(f"\n{name}: {params}")
        ours = False
        for line in (raw.strip() for raw in explain(params).splitlines()):
            if "Scan" in line or line.startswith("->"):
                ours = "vacanc" in line and "Scan" in line
                if ours:
                    print(f"  {line.split('  (cost')[0]}")
            elif ours and line.startswith(("Index Cond", "Recheck Cond", "Filter")):
                print(f"      {line[:150]}")
            elif line.startswith("Execution Time"):
                print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    admin, scratch_url = _admin_connection()
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    os.environ["DATABASE_URL"] = scratch_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # No SQL kept in memory per query, as in production.
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        _bench(args.vacancies, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))


if __name__ == "__main__":
    main()
