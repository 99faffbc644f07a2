"""The matching worker against PostgreSQL: index build from the database, and the time
from publishing a vacancy to its matches being committed by a real Celery worker.

.venv/bin/python bench/matching_worker.py                    # 100,000 seekers
.venv/bin/python bench/matching_worker.py --seekers 20000 --publish 20

Makes a scratch database (migrate, taxonomy, demo data of the given size), then in
this process: builds the seeker and vacancy indexes from PostgreSQL (timed, with bytes
per row and the snapshot's load time), times vacancy and seeker runs done here, then
starts a Celery worker and publishes vacancies through the service, one at a time,
timing from the commit to the moment its MatchRun row is visible (polled every 2 ms).
Prints; asserts nothing. Needs PostgreSQL and Redis (REDIS_URL; database 8 by default).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.scratch import manage_all, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "borderless_bench_match"


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=3000)
    parser.add_argument(
        "--publish", type=int, default=30, help="vacancies published via the worker"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    with scratch_database(SCRATCH, keep=args.keep) as url:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
            MATCHING_INDEX_DIR=tempfile.mkdtemp(prefix="borderless-bench-index-"),
            LOG_LEVEL="WARNING",
        )
        manage_all(
            [
                ["migrate", "--noinput"],
                ["load_taxonomy"],
                ["seed_demo", "--seekers", str(args.seekers), "--vacancies", str(args.vacancies)],
            ],
            env=env,
        )
        os.environ.update(env)
        measure(args, env)


def measure(args: argparse.Namespace, env: dict[str, str]) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.db import transaction

    from accounts.models import User
    from config.celery import app
    from matching import indexes, services
    from matching.engine import SeekerIndex
    from matching.models import Kind, MatchRun
    from seekers.models import SeekerProfile
    from vacancies import services as vacancy_services
    from vacancies.models import EmployerMember, Vacancy, VacancySkill
    from vacancies.services import SkillRequirement

    seekers = indexes._seeker_source(0, 1)
    started = time.perf_counter()
    held = indexes.build(seekers)
    build = time.perf_counter() - started
    rows = len(held.index)
    print(f"\n=== {rows:,} matchable seekers ({args.seekers:,} loaded) ===")
    print(f"seeker index build from PostgreSQL       {build:7.2f} s  ({rows / build:,.0f} rows/s)")
    print(
        f"  extrapolated to 1,000,000 seekers       {build * 1_000_000 / rows:7.1f} s"
        "  (linear; target ≤ 30 s)"
    )
    print(f"bytes per seeker                          {held.index.nbytes / rows:7.1f}")
    path, _ = indexes._paths(seekers.name)
    started = time.perf_counter()
    SeekerIndex.load(path)
    print(f"snapshot load                             {time.perf_counter() - started:7.3f} s")
    started = time.perf_counter()
    vacancies_held = indexes.build(indexes._vacancy_source())
    print(
        f"vacancy index build ({len(vacancies_held.index):,} open)       "
        f"{time.perf_counter() - started:7.2f} s"
    )
    indexes.registry.forget()
    indexes.registry.get(seekers)
    indexes.registry.get(indexes._vacancy_source())

    open_ids = list(
        Vacancy.objects.open().order_by("?").values_list("pk", flat=True)[: max(50, args.publish)]
    )
    times = []
    for pk in open_ids:
        t = time.perf_counter()
        services.match_now(kind=Kind.VACANCY, object_id=pk)
        times.append(time.perf_counter() - t)
    print(f"vacancy run in-process (top 200, stored)  {summary(times)}   n={len(times)}")
    seeker_ids = list(
        SeekerProfile.objects.filter(consent_given_at__isnull=False)
        .order_by("?")
        .values_list("pk", flat=True)[:50]
    )
    times = []
    for pk in seeker_ids:
        t = time.perf_counter()
        services.match_now(kind=Kind.SEEKER, object_id=pk)
        times.append(time.perf_counter() - t)
    print(f"seeker run in-process (top 50, stored)    {summary(times)}   n={len(times)}")

    # --- A real worker ------------------------------------------------------------
    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", "matching,default",
         "--concurrency", "1", "--hostname", f"bench-{os.getpid()}@localhost",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"bench-{os.getpid()}@localhost"], timeout=0.5):
            if time.monotonic() > deadline:
                raise RuntimeError("the worker did not start")
        owner = User.objects.get(email="owner@borderless.test")
        employer = EmployerMember.objects.get(user=owner).employer
        templates = list(Vacancy.objects.open().order_by("?")[:20])
        latencies: list[float] = []
        runs: list[float] = []
        for i in range(args.publish + 1):  # the first one warms the worker's indexes up
            template = templates[i % len(templates)]
            skills: list[SkillRequirement] = [
                {"skill": s.skill, "min_level": s.min_level, "required": s.required}
                for s in VacancySkill.objects.filter(vacancy=template).select_related("skill")
            ]
            vacancy = vacancy_services.vacancy_create(
                employer=employer,
                by=owner,
                title=f"{template.title} #{i}",
                occupation=template.occupation,
                country=template.country,
                region=template.region,
                skills=skills,
                expires_on=template.expires_on,
                eligibility=template.eligibility,
            )
            with transaction.atomic():
                vacancy_services.vacancy_publish(vacancy=vacancy, by=owner)
            committed = time.perf_counter()
            deadline = time.monotonic() + 30
            while True:
                run = MatchRun.objects.filter(kind=Kind.VACANCY, object_id=vacancy.pk).first()
                if run is not None:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no matches for vacancy {vacancy.pk} in 30 s")
                time.sleep(0.002)
            if i:
                latencies.append(time.perf_counter() - committed)
                runs.append(run.duration_ms / 1000)
        print(
            f"publish → matches committed (worker)      {summary(latencies)}   n={len(latencies)}"
        )
        print(f"  of which the run itself                 {summary(runs)}")
        print("  target: publish-to-matches committed ≤ 1 s")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
