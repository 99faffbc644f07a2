"""Load test: gunicorn, Celery workers and Locust on this machine, on loopback only.

.venv/bin/python bench/load.py            # 100,000 vacancies, 200,000 seekers, 60 s a phase
.venv/bin/python bench/load.py --small    # 5,000 vacancies, 10,000 seekers, 20 s a phase

1. A bench database (``borderless_load``, ``borderless_load_small`` with --small) on the
   server of DATABASE_URL: migrated and seeded with the project's own ``seed_demo`` the
   first time, and reused afterwards (the seeding time is kept in the database's
   comment and printed on every run; --reseed makes it again). Then
   ``rebuild_match_index`` into a snapshot folder of the bench's own.
2. A pool of seekers with API tokens, and employer members (the demo company's owner
   and recruiter, plus owners added to a few other seeded employers) with tokens and
   their vacancies matched once, so that their candidate lists are not empty.
3. gunicorn on a free port of 127.0.0.1 (3 sync workers by default: the work is CPU in
   Python, and the two cores are shared with PostgreSQL, the workers and Locust) and
   two Celery workers (``matching,default`` and ``notifications``) on Redis database
   12, all with the production profile (DEBUG off); no beat, so nothing but the traffic
   asks for matching runs. ``MATCHING_SEEKER_DEBOUNCE_SECONDS`` is 0 (``--debounce``):
   production waits a minute on purpose before a seeker's run, which is not lag.
4. Three phases of Locust (headless, closed loop, 6 users, a fixed time each): the
   trivial ``/api/v1/cefr-levels/`` alone (no database, no Redis: the framework's
   ceiling; ``/healthz`` would measure a database query, a Redis ping and a broadcast
   to the workers), the search alone, and the mix (60 % search with varied filters and
   full text, 20 % vacancy detail, 10 % profile edits, 10 % employer lists; there is no
   server-rendered vacancy page to add). After the mix it waits for the matching runs
   the edits asked for and takes the lag from the ``MatchRun`` rows (finish =
   ``started_at`` + ``duration_ms``, committed in the same transaction right after)
   back to the edit's commit (the profile's ``updated_at``) and to its request.

Prints requests per second, p50/p95/p99 per endpoint and the error rate of each phase,
the matching lag, the CPU time each part used and the load average, then each target
with met or missed. Asserts nothing. Every process it started is stopped at the end,
also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import environ
import httpx
import psutil  # type: ignore[import-untyped]  # comes with locust; ships no type hints
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


PYTHON = sys.executable
BIN = Path(PYTHON).parent

# The names bench/locustfile.py reports under (not imported: importing locust patches
# this process with gevent).
TRIVIAL_PATH = "/api/v1/cefr-levels/"
SEARCH = "search GET /api/v1/vacancies/?…"

TARGET_SEARCH_P95_MS = 150.0
TARGET_SEARCH_SHARE = 0.40
TARGET_LAG_P95_S = 5.0


@dataclass(frozen=True)
class Size:
    database: str
    vacancies: int
    seekers: int
    duration: int
    seeker_pool: int
    employer_pool: int


FULL = Size("borderless_load", 100_000, 200_000, 60, 3000, 40)
SMALL = Size("borderless_load_small", 5_000, 10_000, 20, 500, 10)


# --- Processes: started here, stopped here -------------------------------------------


class Processes:
    """Every process the bench starts, each in its own session, stopped at the end."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - the child keeps it
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def tree(self, process: subprocess.Popen[bytes]) -> list[Any]:
        try:
            parent = psutil.Process(process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                # The session (process group) holds the process and its children only.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"  {name} did not stop in 30 s: killed")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.started.clear()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- The bench database -------------------------------------------------------------


def server_url() -> str:
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/borderless")


def admin_connection() -> psycopg.Connection[Any]:
    config = environ.Env.db_url_config(server_url())
    return psycopg.connect(
        host=str(config["HOST"] or "127.0.0.1"),
        port=int(config["PORT"] or 5432),
        user=str(config["USER"] or "postgres"),
        password=str(config.get("PASSWORD") or ""),
        dbname="postgres",
        autocommit=True,
    )


def manage(*command: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def ensure_seeded(size: Size, url: str, env: dict[str, str], *, reseed: bool) -> dict[str, Any]:
    """Seed the bench database once; the times of that seeding, kept in its comment."""
    with admin_connection() as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [size.database],
        ).fetchone()
        marker = json.loads(row[0]) if row and row[0] else None
        same = marker and (marker["vacancies"], marker["seekers"]) == (size.vacancies, size.seekers)
        if row and marker and same and not reseed:
            return dict(marker, reused=True)
        if row:  # made by an interrupted run, of another size, or --reseed
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [size.database],
            )
            admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(size.database)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(size.database)))
    print(
        f"seeding {size.database}: {size.vacancies:,} vacancies, {size.seekers:,} seekers "
        "(once; later runs reuse it)",
        flush=True,
    )
    times = {
        "migrate": manage("migrate", "--noinput", env=env),
        "load_taxonomy": manage("load_taxonomy", env=env),
    }
    times["seed_demo"] = manage(
        "seed_demo",
        "--seekers",
        str(size.seekers),
        "--vacancies",
        str(size.vacancies),
        "--seed",
        "1",
        env=env,
    )
    started = time.perf_counter()
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
    times["vacuum_analyze"] = time.perf_counter() - started
    marker = {
        "vacancies": size.vacancies,
        "seekers": size.seekers,
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "on": time.strftime("%Y-%m-%d %H:%M"),
    }
    with admin_connection() as admin:
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(size.database), sql.Literal(json.dumps(marker))
            )
        )
    return dict(marker, reused=False)


# --- The pool of users, tokens and search parameters (in this process, via Django) ----


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def make_plan(size: Size, rng: random.Random) -> dict[str, Any]:
    from django.db import transaction
    from knox.models import AuthToken

    from accounts.models import Role, User
    from accounts.services import token_issue
    from matching import services
    from matching.models import Kind, MatchRun
    from seekers.models import SeekerProfile
    from taxonomy.models import Skill
    from vacancies.models import EmployerMember, Vacancy
    from vacancies.selectors import vacancies_public

    open_ids = list(vacancies_public().values_list("pk", flat=True))
    vacancies = rng.sample(open_ids, k=min(5000, len(open_ids)))

    # Seekers: a spread-out pool, each with a fresh token (the last run's are revoked).
    profiles = list(
        SeekerProfile.objects.filter(
            consent_given_at__isnull=False,
            user__is_active=True,
            salary_amount__isnull=False,
        ).values_list("pk", "user_id", "salary_amount")
    )
    profiles.sort()
    pool = rng.sample(profiles, k=min(size.seeker_pool, len(profiles)))
    users = User.objects.in_bulk([user_id for _, user_id, _ in pool])
    with transaction.atomic():
        AuthToken.objects.filter(user_id__in=users).delete()
        seekers = [
            {
                "profile": pk,
                "token": token_issue(user=users[user_id])[0],
                "salary": int(salary or 0),
            }
            for pk, user_id, salary in pool
        ]

    # Employer members: the demo company's owner and recruiter, and an owner added to
    # each of a few seeded employers (the seed gives members to the demo company only).
    candidates = (
        vacancies_public()
        .values_list("employer_id", flat=True)
        .order_by("employer_id")
        .distinct()[: size.employer_pool * 3]
    )
    employer_ids = sorted(rng.sample(list(candidates), k=min(size.employer_pool, len(candidates))))
    password = User.objects.get(email="owner@borderless.test").password
    with transaction.atomic():
        for employer_id in employer_ids:
            email = f"load.owner.{employer_id}@borderless.test"
            if not User.objects.filter(email=email).exists():
                user = User.objects.create(
                    email=email, role=Role.EMPLOYER, password=password, full_name="Load Owner"
                )
                EmployerMember.objects.create(
                    employer_id=employer_id, user=user, role=EmployerMember.Role.OWNER
                )
    members = list(
        EmployerMember.objects.filter(
            user__email__in=[
                "owner@borderless.test",
                "recruiter@borderless.test",
                *(f"load.owner.{e}@borderless.test" for e in employer_ids),
            ]
        ).select_related("user")
    )
    open_set = set(open_ids)
    employers = []
    to_match: list[int] = []
    with transaction.atomic():
        AuthToken.objects.filter(user__in=[m.user for m in members]).delete()
        for member in members:
            theirs = [
                pk
                for pk in Vacancy.objects.filter(employer_id=member.employer_id)
                .order_by("pk")
                .values_list("pk", flat=True)
                if pk in open_set
            ]
            if theirs:
                employers.append({"token": token_issue(user=member.user)[0], "vacancies": theirs})
                to_match += theirs
    done = set(
        MatchRun.objects.filter(kind=Kind.VACANCY, object_id__in=to_match).values_list(
            "object_id", flat=True
        )
    )
    started = time.perf_counter()
    missing = sorted(set(to_match) - done)
    for pk in missing:
        services.match_now(kind=Kind.VACANCY, object_id=pk)
    if missing:
        print(
            f"matched {len(missing)} vacancies of the employer pool in "
            f"{time.perf_counter() - started:.1f} s (once)"
        )

    keys = ("welding", "pipe-welding", "python", "django", "cooking", "accounting", "driving")
    skills = list(
        Skill.objects.filter(uri__in=[f"urn:borderless:skill:{k}" for k in keys]).values_list(
            "pk", flat=True
        )
    ) or list(Skill.objects.order_by("pk").values_list("pk", flat=True)[:20])
    titles = sorted(set(Vacancy.objects.values_list("title", flat=True).distinct()[:200]))
    return {
        "search": search_parameters(rng, titles, skills),
        "vacancies": vacancies,
        "seekers": seekers,
        "employers": employers,
    }


def search_parameters(
    rng: random.Random, titles: list[str], skills: list[int]
) -> list[dict[str, str]]:
    """Varied public searches: full text (Russian and English), filters, orderings."""
    words = [t.split()[0].lower() for t in titles if t] + [
        "welding", "python", "cooking", "accounting", "driver", "nurse", "engineer",
        "сварщик", "повар вахтовый", "бухгалтер", "разработчики", "медицинская сестра",
        "водитель", "инженер", "электромонтёр", "продавец",
    ]  # fmt: skip
    countries = ["KZ", "RU", "BY", "KG", "AM"]
    occupations = ["7", "72", "7212", "2", "25", "2512", "5120", "8332", "9", "3"]
    salaries = [("300000", "KZT"), ("1500", "USD"), ("120000", "RUB"), ("4000", "BYN")]
    kinds = [
        "text", "text", "text", "text+country", "text+country", "country+occupation",
        "country+occupation", "salary", "skills", "citizenship", "remote", "language",
        "newest", "salary order", "employment type", "posted since",
    ]  # fmt: skip
    out: list[dict[str, str]] = []
    for _ in range(400):
        kind = rng.choice(kinds)
        params: dict[str, str] = {}
        if kind.startswith("text"):
            params["q"] = rng.choice(words)
        if kind == "text+country":
            params["country"] = rng.choice(countries)
            if rng.random() < 0.5:
                params["ordering"] = "newest"
        elif kind == "country+occupation":
            params["country"] = rng.choice(countries)
            params["occupation"] = rng.choice(occupations)
        elif kind in ("salary", "salary order"):
            params["salary_min"], params["salary_currency"] = rng.choice(salaries)
            if kind == "salary order":
                params["ordering"] = "salary"
        elif kind == "skills":
            params["skills"] = ",".join(str(s) for s in rng.sample(skills, k=min(2, len(skills))))
        elif kind == "citizenship":
            params["open_to"] = rng.choice(["UZ", "TJ", "KG", "AM", "KZ"])
            params["country"] = rng.choice(countries)
        elif kind == "remote":
            params["remote"] = "true"
            params["open_to"] = rng.choice(countries)
        elif kind == "language":
            params["language"] = "en"
            params["occupation"] = rng.choice(["25", "2", "3"])
        elif kind == "employment type":
            params["employment_type"] = rng.choice(["rotational", "full_time", "part_time"])
            params["country"] = rng.choice(countries)
        elif kind == "posted since":
            params["posted_since"] = time.strftime(
                "%Y-%m-%d", time.localtime(time.time() - 7 * 86400)
            )
        out.append(params)
    return out


# --- Measuring --------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


@dataclass
class Phase:
    name: str
    seconds: float
    rows: list[Row]
    total: Row
    cpu: dict[str, float]
    load: list[float]
    failures: list[str] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)


def cpu_by_pid(processes: list[Any]) -> dict[int, float]:
    seconds: dict[int, float] = {}
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            seconds[process.pid] = times.user + times.system
    return seconds


def cpu_seconds(processes: list[Any]) -> float:
    return sum(cpu_by_pid(processes).values())


def children_cpu() -> float:
    """CPU time of this process's children that have exited (Locust, once it ran)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class LoadSampler(threading.Thread):
    """The 1-minute load average every five seconds while a phase runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def read_results(path: Path) -> tuple[list[Row], Row, list[str], int, list[dict[str, Any]]]:
    """Figures per endpoint and in all, failures, task exceptions, and the edits made."""
    results = json.loads(path.read_text(encoding="utf-8"))

    def row(data: dict[str, Any]) -> Row:
        def ms(key: str) -> float:
            return float(data[key]) if data[key] is not None else float("nan")

        return Row(
            data["name"], data["requests"], data["failures"], data["rps"],
            ms("p50"), ms("p95"), ms("p99"),
        )  # fmt: skip

    failures = list(results["failures"])
    raised = 0
    for exception in results["exceptions"]:
        raised += exception["count"]
        failures.append(f"{exception['count']}× exception in a task: {exception['message']}")
    return (
        [row(r) for r in results["rows"]],
        row(results["total"]),
        failures,
        raised,
        results["edits"],
    )


def run_phase(
    name: str,
    user_class: str,
    *,
    args: argparse.Namespace,
    host: str,
    env: dict[str, str],
    procs: Processes,
    parts: dict[str, subprocess.Popen[bytes]],
    work: Path,
) -> Phase:
    print(f"phase {name}: {args.users} users, {args.duration} s …", flush=True)
    prefix = work / name.replace(" ", "_")
    results = work / f"{prefix.name}.json"
    locust_env = dict(env, BENCH_LOAD_RESULTS=str(results))
    groups = {part: procs.tree(process) for part, process in parts.items()}
    before = {part: cpu_seconds(tree) for part, tree in groups.items()}
    postgres_before = cpu_by_pid(postgres_backends(env["BENCH_DATABASE"]))
    reaped_before = children_cpu()
    machine_before = sum(psutil.cpu_times()[:3])
    sampler = LoadSampler()
    sampler.start()
    started = time.monotonic()
    locust = procs.start(
        f"locust-{prefix.name}",
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
            user_class,
        ],  # fmt: skip
        locust_env,
    )
    locust.wait(timeout=args.duration + 120)
    seconds = time.monotonic() - started
    sampler.stop.set()
    cpu = {part: cpu_seconds(tree) - before[part] for part, tree in groups.items()}
    cpu["locust"] = children_cpu() - reaped_before
    # Backends that connected during the phase count whole; those that left, not at all.
    postgres_after = cpu_by_pid(postgres_backends(env["BENCH_DATABASE"]))
    cpu["postgres (bench database)"] = sum(
        after - postgres_before.get(pid, 0.0) for pid, after in postgres_after.items()
    )
    cpu["whole machine"] = sum(psutil.cpu_times()[:3]) - machine_before
    if not results.exists():
        raise RuntimeError(f"Locust wrote no results; see {procs.logs}/locust-{prefix.name}.log")
    rows, total, failures, raised, edits = read_results(results)
    # A task that raised sent no request, or one that was not judged: an error all the same.
    total.failures += raised
    return Phase(
        name, seconds, rows, total, cpu, [*sampler.samples, os.getloadavg()[0]], failures, edits
    )


def postgres_backends(database: str) -> list[Any]:
    with admin_connection() as admin:
        pids = [
            r[0]
            for r in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
            ).fetchall()
        ]
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            found.append(psutil.Process(pid))
    return found


@dataclass
class Lag:
    from_commit: list[float] = field(default_factory=list)  # the target's figure
    from_sent: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)
    edits: int = 0
    missing: int = 0
    waited: float = 0.0


def matching_lag(edits: list[dict[str, Any]], *, drain: float) -> Lag:
    """For each edit, the seeker run that answered it (the first to start after the edit
    was sent) and when that run committed (``started_at`` + ``duration_ms``).

    Measured from the edit's commit: the profile's ``updated_at``, stamped in the edit's
    transaction just before it commits (exact for seekers edited once in the phase; the
    pool is large enough for that). Also from the moment the client sent the edit, which
    adds the web's own latency under load.
    """
    from matching.models import Kind, MatchRun
    from seekers.models import SeekerProfile

    lag = Lag(edits=len(edits))
    if not edits:
        return lag
    profiles = sorted({e["profile"] for e in edits})
    edited_once = {p for p in profiles if sum(1 for e in edits if e["profile"] == p) == 1}
    first = min(e["sent"] for e in edits)
    started = time.monotonic()
    while True:
        runs: dict[int, list[tuple[float, float]]] = {}
        for object_id, started_at, duration_ms in MatchRun.objects.filter(
            kind=Kind.SEEKER, object_id__in=profiles, started_at__gte=_aware(first - 1)
        ).values_list("object_id", "started_at", "duration_ms"):
            runs.setdefault(object_id, []).append((started_at.timestamp(), duration_ms / 1000))
        answered = [
            (
                edit,
                min(
                    (r for r in runs.get(edit["profile"], []) if r[0] >= edit["sent"]), default=None
                ),
            )
            for edit in edits
        ]
        lag.missing = sum(1 for _, run in answered if run is None)
        if not lag.missing or time.monotonic() - started > drain:
            break
        time.sleep(0.5)
    lag.waited = time.monotonic() - started
    committed = dict(
        SeekerProfile.objects.filter(pk__in=edited_once).values_list("pk", "updated_at")
    )
    for edit, run in answered:
        if run is None:
            continue
        end = run[0] + run[1]
        lag.runs.append(run[1])
        lag.from_sent.append(end - edit["sent"])
        if edit["profile"] in committed:
            lag.from_commit.append(max(0.0, end - committed[edit["profile"]].timestamp()))
    return lag


def _aware(timestamp: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, tz=UTC)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# --- Printing ---------------------------------------------------------------------------


def print_phase(phase: Phase) -> None:
    print(f"\n== {phase.name} ({phase.seconds:.0f} s) ==")
    print(
        f"{'endpoint':<56} {'requests':>9} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>7}"
    )
    for row in [*sorted(phase.rows, key=lambda r: -r.requests), phase.total]:
        label = "all" if row.name == "Aggregated" else row.name
        print(
            f"{label:<56} {row.requests:>9,} {row.rps:>8.1f} {row.p50:>5.0f}ms {row.p95:>5.0f}ms"
            f" {row.p99:>5.0f}ms {row.failures:>7}"
        )
    rate = phase.total.failures / phase.total.requests if phase.total.requests else 0.0
    print(f"error rate {rate:.2%}")
    for failure in phase.failures[:8]:
        print(f"  {failure}")
    available = 2 * phase.seconds if os.cpu_count() == 2 else (os.cpu_count() or 1) * phase.seconds
    cpu = ", ".join(f"{part} {seconds:.0f}" for part, seconds in phase.cpu.items())
    print(f"CPU seconds ({available:.0f} available): {cpu}")
    if phase.total.requests:
        per = {
            part: phase.cpu[part] * 1000 / phase.total.requests
            for part in ("gunicorn", "postgres (bench database)", "locust")
        }
        print(
            "CPU per request: "
            + ", ".join(f"{part} {ms:.1f} ms" for part, ms in per.items())
            + f"; on {os.cpu_count()} idle cores that alone would allow about "
            f"{(os.cpu_count() or 1) * 1000 / max(sum(per.values()), 0.001):.0f} req/s"
        )
    print(
        "load average (1 min) during the phase: "
        + " ".join(f"{x:.1f}" for x in phase.load)
        + f" (max {max(phase.load):.1f})"
    )


def row(phase: Phase, name: str) -> Row | None:
    return next((r for r in phase.rows if r.name == name), None)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="5k vacancies, 10k seekers, 20 s")
    parser.add_argument("--duration", type=int, help="seconds per phase (60; 20 with --small)")
    parser.add_argument(
        "--users", type=int, default=6, help="Locust users, closed loop (2 per gunicorn worker)"
    )
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--web-threads", type=int, default=1, help="threads per worker (>1: gthread, 1: sync)"
    )
    parser.add_argument("--matching-concurrency", type=int, default=1)
    parser.add_argument("--notifications-concurrency", type=int, default=1)
    parser.add_argument(
        "--debounce",
        type=float,
        default=0.0,
        help="MATCHING_SEEKER_DEBOUNCE_SECONDS for the bench (production default 60)",
    )
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to wait for runs")
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--reseed", action="store_true", help="seed the bench database again")
    parser.add_argument("--phases", default="trivial,search,mix", help="which phases, in order")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs")
    parser.add_argument(
        "--seed-only", action="store_true", help="make the bench database and stop there"
    )
    args = parser.parse_args()
    size = SMALL if args.small else FULL
    args.duration = args.duration or size.duration

    # Also SIGINT: a shell that starts the bench in the background ignores it otherwise.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    work = Path(tempfile.mkdtemp(prefix="borderless-load-"))
    (work / "logs").mkdir()
    url = server_url().rsplit("/", 1)[0] + "/" + size.database
    index_dir = ROOT / ".var" / "bench" / f"index-{size.database}"
    index_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://bench.borderless.test",
        SECURE_SSL_REDIRECT="false",  # plain http on loopback
        DATABASE_URL=url,
        REDIS_URL=args.redis_url,
        MATCHING_INDEX_DIR=str(index_dir),
        MATCHING_SEEKER_DEBOUNCE_SECONDS=str(args.debounce),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        BENCH_DATABASE=size.database,
        BENCH_LOAD_PLAN=str(work / "plan.json"),
    )
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  ({os.cpu_count()} cores)"
    )
    started = time.perf_counter()
    seeded = ensure_seeded(size, url, env, reseed=args.reseed)
    seconds = seeded["seconds"]
    print(
        f"bench database {size.database}: {seeded['vacancies']:,} vacancies, {seeded['seekers']:,} seekers; "
        + ("reused, " if seeded["reused"] else "")
        + f"seeded on {seeded['on']} in {sum(seconds.values()):.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items())
        + ")"
    )
    if args.seed_only:
        return
    print(f"rebuild_match_index: {manage('rebuild_match_index', env=env):.1f} s", flush=True)

    setup_django(env)
    from django.db import connections

    from config.celery import app

    rng = random.Random(1)
    plan = make_plan(size, rng)
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    connections.close_all()
    print(
        f"pool: {len(plan['seekers']):,} seekers with tokens, {len(plan['employers'])} employer "
        f"members, {len(plan['search'])} search variants, {len(plan['vacancies']):,} vacancy ids "
        f"(set-up {time.perf_counter() - started:.0f} s)"
    )
    app.control.purge()  # nothing left over from an earlier run or the set-up

    procs = Processes(work / "logs")
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    try:
        worker_class = "gthread" if args.web_threads > 1 else "sync"
        web = procs.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.web_workers),
                "--threads",
                str(args.web_threads),
                "--worker-class",
                worker_class,
                "--backlog",
                "2048",
                "--timeout",
                "60",
            ],  # fmt: skip
            env,
        )
        tag = f"{os.getpid()}"
        matching = procs.start(
            "celery-matching",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--queues",
                "matching,default",
                "--concurrency",
                str(args.matching_concurrency),
                "--hostname",
                f"load-matching-{tag}@localhost",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            env,
        )
        notifying = procs.start(
            "celery-notifications",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--queues",
                "notifications",
                "--concurrency",
                str(args.notifications_concurrency),
                "--hostname",
                f"load-notifications-{tag}@localhost",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            env,
        )
        print(
            f"gunicorn: {args.web_workers} {worker_class} workers"
            + (f" × {args.web_threads} threads" if args.web_threads > 1 else "")
            + f" on {host}; celery: matching,default ×{args.matching_concurrency}, "
            f"notifications ×{args.notifications_concurrency} (prefork) on {args.redis_url}; "
            f"DJANGO_ENV=production, DEBUG off, MATCHING_SEEKER_DEBOUNCE_SECONDS={args.debounce:g}; "
            f"Locust: {args.users} users, FastHttpUser, no wait, {args.duration} s a phase"
        )
        warm_up(host, plan, procs, [web, matching, notifying], app, tag)

        parts = {"gunicorn": web, "celery matching": matching, "celery notifications": notifying}
        phases: dict[str, Phase] = {}
        user_classes = {"trivial": "Trivial", "search": "Search", "mix": "Mix"}
        lag = Lag()
        for name in args.phases.split(","):
            phases[name] = run_phase(
                name, user_classes[name], args=args, host=host, env=env, procs=procs,
                parts=parts, work=work,
            )  # fmt: skip
            print_phase(phases[name])
            if name == "mix":
                lag = matching_lag(phases[name].edits, drain=args.drain)
                print_lag(lag)
        summary(phases, lag)
    finally:
        print("stopping gunicorn, workers and Locust …", flush=True)
        procs.stop_all()
        with contextlib.suppress(Exception):
            app.control.purge()
        if args.keep_logs:
            print(f"logs in {work / 'logs'}")
        else:
            for log in (work / "logs").iterdir():
                log.unlink()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def warm_up(
    host: str,
    plan: dict[str, Any],
    procs: Processes,
    watched: list[subprocess.Popen[bytes]],
    app: Any,
    tag: str,
) -> None:
    """Wait for gunicorn and both workers; send a few of each request; one edit through."""
    from matching.models import Kind, MatchRun

    deadline = time.monotonic() + 90
    with httpx.Client(base_url=host, timeout=30) as client:
        while True:
            for process in watched:
                if process.poll() is not None:
                    raise RuntimeError(f"a process of the bench exited: see {procs.logs}")
            with contextlib.suppress(httpx.TransportError):
                if client.get(TRIVIAL_PATH).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in 90 s")
            time.sleep(0.3)
        wanted = {f"load-matching-{tag}@localhost", f"load-notifications-{tag}@localhost"}
        while wanted - {name for reply in app.control.ping(timeout=0.5) for name in reply}:
            if time.monotonic() > deadline:
                raise RuntimeError("the Celery workers did not answer in 90 s")
        for params in plan["search"][:30]:
            response = client.get("/api/v1/vacancies/", params=params)
            if response.status_code != 200:
                raise RuntimeError(f"search {params}: {response.status_code} {response.text[:300]}")
        for vacancy in plan["vacancies"][:20]:
            client.get(f"/api/v1/vacancies/{vacancy}/").raise_for_status()
        for member in plan["employers"][:5]:
            headers = {"Authorization": f"Token {member['token']}"}
            client.get(
                f"/api/v1/employer/vacancies/{member['vacancies'][0]}/matches/", headers=headers
            ).raise_for_status()
            client.get("/api/v1/employer/candidates/", headers=headers).raise_for_status()
        # One edit through web, worker and notifications: the worker loads its indexes.
        seeker = plan["seekers"].pop()
        sent = time.time()
        client.patch(
            "/api/v1/profile/",
            json={"salary_amount": str(seeker["salary"])},
            headers={"Authorization": f"Token {seeker['token']}"},
        ).raise_for_status()
    while not MatchRun.objects.filter(
        kind=Kind.SEEKER, object_id=seeker["profile"], started_at__gte=_aware(sent - 1)
    ).exists():
        if time.monotonic() > deadline + 60:
            raise RuntimeError("the warm-up edit was not matched in time")
        time.sleep(0.2)
    print(f"warmed up: web, workers and one edit matched end to end ({time.time() - sent:.1f} s)")


def print_lag(lag: Lag) -> None:
    def figures(values: list[float]) -> str:
        return (
            f"p50 {pct(values, 0.5):5.2f} s  p95 {pct(values, 0.95):5.2f} s  "
            f"p99 {pct(values, 0.99):5.2f} s  max {max(values, default=float('nan')):5.2f} s"
        )

    print(f"matching lag over {lag.edits} profile edits (each edit → its seeker run committed):")
    print(f"  from the edit's commit     {figures(lag.from_commit)}  (n={len(lag.from_commit)})")
    print(f"  from the edit's request    {figures(lag.from_sent)}  (adds the web's latency)")
    print(f"  the run itself             {figures(lag.runs)}")
    print(f"  {lag.missing} edits without a run after waiting {lag.waited:.0f} s")


def summary(phases: dict[str, Phase], lag: Lag) -> None:
    print("\n== targets ==")
    errors = sum(p.total.failures for p in phases.values())
    total = sum(p.total.requests for p in phases.values())
    print(
        f"{'errors (all phases)':<44} {errors:>8} of {total:,}   target 0        {verdict(errors == 0)}"
    )
    search_rows = [
        r for p in ("mix", "search") if p in phases for r in [row(phases[p], SEARCH)] if r
    ]
    if "mix" in phases and (mixed := row(phases["mix"], SEARCH)):
        print(
            f"{'search p95 in the mix':<44} {mixed.p95:>6.0f} ms   target ≤ {TARGET_SEARCH_P95_MS:.0f} ms  "
            f"{verdict(mixed.p95 <= TARGET_SEARCH_P95_MS)}"
        )
    if "search" in phases and (alone := row(phases["search"], SEARCH)):
        print(
            f"{'search p95 alone':<44} {alone.p95:>6.0f} ms   target ≤ {TARGET_SEARCH_P95_MS:.0f} ms  "
            f"{verdict(alone.p95 <= TARGET_SEARCH_P95_MS)}"
        )
    if "trivial" in phases and "search" in phases and search_rows:
        ceiling = phases["trivial"].total.rps
        searched = phases["search"].total.rps
        share = searched / ceiling if ceiling else 0.0
        print(
            f"{'search throughput / trivial throughput':<44} {share:>7.0%}   ({searched:.0f} / {ceiling:.0f} req/s) "
            f"target ≥ {TARGET_SEARCH_SHARE:.0%}  {verdict(share >= TARGET_SEARCH_SHARE)}"
        )
    if lag.edits:
        # An edit never answered counts as slower than any measured one.
        p95 = pct([*lag.from_commit, *([float("inf")] * lag.missing)], 0.95)
        print(
            f"{'matching lag p95 (edit commit → matches)':<44} {p95:>7.2f} s   target ≤ {TARGET_LAG_P95_S:.0f} s     "
            f"{verdict(p95 <= TARGET_LAG_P95_S)}"
        )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted; every process the bench started was stopped")
        sys.exit(130)
