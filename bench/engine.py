"""Figures for the matching engine and its candidate indexes. Prints; asserts nothing.

.venv/bin/python bench/engine.py                      # 10k, 100k and 1M seekers
.venv/bin/python bench/engine.py --sizes 10000,100000 --vacancies 60
.venv/bin/python bench/engine.py --no-pg              # without the PostgreSQL comparison

Synthetic data of realistic shape, made with NumPy from a seed: the five member states
by labour force and their regions by population (taxonomy/data/regions.csv, with the
real centres), the 436 ISCO-08 unit groups with Zipf-skewed popularity, 13,000 skills
with Zipf-skewed popularity grouped into per-occupation pools (a seeker draws most of
5–30 skills from the pool of their occupation, the rest from all skills), a skill
hierarchy (30% of skills have a broader one, usually a popular skill), 3–12 required
skills per vacancy, migrants from Uzbekistan, Tajikistan and Kyrgyzstan in Russia and
Kazakhstan, wages in local currencies around each country's average.

Every figure is measured in this run on this machine; the naive figures for more than
10,000 seekers are extrapolated from timing 10,000 and say so.

The other yardstick is PostgreSQL with a GIN index over the seekers' skill arrays, the
way one would answer the query without an index of our own: the same seekers are
copied into a scratch table of database ``borderless_bench`` (created if missing) on the
server of ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/), and each
vacancy asks for the top 50 rows whose skills overlap its required skills (``&&``),
ranked by level-weighted coverage of the required skills, after the engine's hard
filters (work right, mobility scope, remote work, rotation, hard language levels).
That query does less than the index does — no related or optional skills, none of the
other seven components, no seeker without a shared skill — so the ratio flatters
PostgreSQL. Unreachable PostgreSQL (or ``--no-pg``) skips it and says why.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.engine.index import (  # noqa: E402 — after the path is set
    SeekerIndex,
    VacancyIndex,
    merge_top_k,
    shard_of,
    top_seekers,
    top_vacancies,
)
from matching.engine.records import (  # noqa: E402
    Eligibility,
    EmploymentType,
    LanguageRequirement,
    MatchResult,
    MobilityScope,
    ReferenceData,
    RemotePreference,
    Salary,
    SalaryPeriod,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    WorkMode,
)
from matching.engine.scoring import permit_check_day, score  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "taxonomy" / "data"
AS_OF = date(2026, 3, 2)
N_SKILLS = 13_000
K = 50
LABOUR_FORCE = {"RU": 76_000, "KZ": 9_900, "BY": 4_900, "KG": 2_700, "AM": 1_300}
CURRENCY = {"RU": "RUB", "KZ": "KZT", "BY": "BYN", "KG": "KGS", "AM": "AMD"}
# Average gross monthly wage in local currency (approximate, 2025).
WAGE = {"RU": 95_000.0, "KZ": 420_000.0, "BY": 2_400.0, "KG": 38_000.0, "AM": 300_000.0}
NATIVE = {"RU": "ru", "KZ": "kk", "BY": "be", "KG": "ky", "AM": "hy"}
Array = np.ndarray[Any, Any]
R = TypeVar("R")


def zipf_weights(n: int, s: float, rng: np.random.Generator) -> Array:
    """Zipf probabilities over n items in a random order (rank r has weight r^−s)."""
    weights = 1.0 / np.arange(1, n + 1) ** s
    return rng.permutation(weights / weights.sum())


@dataclass
class World:
    ref: ReferenceData
    countries: list[str]
    country_p: Array
    regions: dict[str, list[str]]
    region_p: dict[str, Array]
    occupations: list[str]
    occupation_p: Array
    pools: Array  # occupation → 40 skills, most typical first
    skill_p: Array

    @classmethod
    def make(cls, rng: np.random.Generator) -> World:
        regions: dict[str, list[str]] = {}
        population: dict[str, list[float]] = {}
        centres: dict[str, tuple[float, float]] = {}
        with open(DATA / "regions.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                regions.setdefault(row["country"], []).append(row["code"])
                population.setdefault(row["country"], []).append(float(row["population_k"]) + 1)
                centres[row["code"]] = (float(row["lat"]), float(row["lon"]))
        rates: dict[str, float] = {}
        with open(DATA / "exchange_rates.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if date.fromisoformat(row["date"]) <= AS_OF:
                    rates[row["currency"]] = float(row["units_per_usd"])
        ppp: dict[str, float] = {}
        with open(DATA / "ppp_factors.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                ppp[row["country"]] = float(row["lcu_per_international_dollar"])  # latest year
        with open(DATA / "isco08.csv", encoding="utf-8") as f:
            occupations = [row["code"] for row in csv.DictReader(f) if row["level"] == "4"]
        skill_p = zipf_weights(N_SKILLS, 1.0, rng)
        pools = np.stack([rng.choice(N_SKILLS, 40, replace=False, p=skill_p) for _ in occupations])
        popular = np.argsort(-skill_p)[:2000]
        narrow = rng.choice(N_SKILLS, int(N_SKILLS * 0.3), replace=False)
        broader = {
            int(s) + 1: int(b) + 1
            for s, b in zip(narrow, rng.choice(popular, len(narrow)), strict=True)
            if s != b
        }
        ref = ReferenceData(
            as_of=AS_OF,
            eaeu_members=frozenset(LABOUR_FORCE),
            region_centres=MappingProxyType(centres),
            skill_broader=MappingProxyType(broader),
            units_per_usd=MappingProxyType(rates),
            ppp_factors=MappingProxyType(ppp),
            country_currency=MappingProxyType(dict(CURRENCY)),
        )
        countries = list(LABOUR_FORCE)
        force = np.array([LABOUR_FORCE[c] for c in countries], dtype=float)
        return cls(
            ref=ref,
            countries=countries,
            country_p=force / force.sum(),
            regions={c: regions[c] for c in countries},
            region_p={c: np.array(population[c]) / sum(population[c]) for c in countries},
            occupations=occupations,
            occupation_p=zipf_weights(len(occupations), 1.0, rng),
            pools=pools,
            skill_p=skill_p,
        )

    def places(self, n: int, rng: np.random.Generator) -> tuple[Array, list[str]]:
        country = rng.choice(len(self.countries), n, p=self.country_p)
        region: list[str] = [""] * n
        for i, code in enumerate(self.countries):
            rows = np.flatnonzero(country == i)
            picks = rng.choice(len(self.regions[code]), len(rows), p=self.region_p[code])
            for row, pick in zip(rows.tolist(), picks.tolist(), strict=True):
                region[row] = self.regions[code][pick]
        return country, region

    def skill_lists(
        self, occupation: Array, low: int, high: int, own_share: float, rng: np.random.Generator
    ) -> tuple[Array, Array]:
        """CSR (ptr, skill ids): low..high distinct skills per row, most from its pool."""
        n = len(occupation)
        counts = rng.integers(low, high + 1, n)
        drawn = counts * 2 + 8  # draw more, keep the first `count` distinct ones
        rows = np.repeat(np.arange(n), drawn)
        pool_rank = np.minimum(rng.zipf(1.3, len(rows)) - 1, self.pools.shape[1] - 1)
        from_pool = self.pools[occupation[rows], pool_rank]
        anywhere = rng.choice(N_SKILLS, len(rows), p=self.skill_p)
        skills = np.where(rng.random(len(rows)) < own_share, from_pool, anywhere) + 1
        keys, first = np.unique(rows.astype(np.int64) * (N_SKILLS + 1) + skills, return_index=True)
        keys = keys[np.argsort(first, kind="stable")]  # back to the order drawn
        rows, skills = keys // (N_SKILLS + 1), keys % (N_SKILLS + 1)
        order = np.argsort(rows, kind="stable")
        rows, skills = rows[order], skills[order]
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=start[1:])
        rank = np.arange(len(rows)) - start[rows]
        keep = rank < counts[rows]
        rows, skills = rows[keep], skills[keep]
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=ptr[1:])
        return ptr, skills.astype(np.int32)


class Seekers:
    """n synthetic seekers as arrays; ``record(i)`` makes the i-th one (id i + 1)."""

    def __init__(self, world: World, n: int, rng: np.random.Generator) -> None:
        self.world, self.n = world, n
        self.country, self.region = world.places(n, rng)
        self.occupation = rng.choice(len(world.occupations), n, p=world.occupation_p)
        self.second = np.where(
            rng.random(n) < 0.3, rng.choice(len(world.occupations), n, p=world.occupation_p), -1
        )
        self.ptr, self.skills = world.skill_lists(self.occupation, 5, 30, 0.75, rng)
        self.levels = rng.choice(np.arange(1, 6), len(self.skills), p=[0.1, 0.2, 0.35, 0.25, 0.1])
        # Migrants: one in ten in Russia and Kazakhstan is a citizen of UZ, TJ or KG.
        migrant = (np.isin(self.country, [0, 1])) & (rng.random(n) < 0.1)
        self.citizenship = np.where(
            migrant, rng.choice(["UZ", "TJ", "KG"], n, p=[0.6, 0.3, 0.1]), "--"
        )
        self.permit_days = np.where(rng.random(n) < 0.7, rng.integers(-60, 400, n), -9999)
        self.scope = rng.choice(5, n, p=[0.3, 0.35, 0.1, 0.15, 0.1])
        self.preference = rng.choice(4, n, p=[0.4, 0.2, 0.05, 0.35])
        self.rotational = rng.random(n) < 0.25
        self.available = np.where(rng.random(n) < 0.6, -9999, rng.integers(-30, 120, n))
        self.has_salary = rng.random(n) < 0.8
        self.salary = rng.lognormal(0.0, 0.35, n)
        self.hourly = rng.random(n) < 0.1
        self.gross = rng.random(n) < 0.7
        self.russian = rng.integers(3, 8, n)
        self.english = np.where(rng.random(n) < 0.3, rng.integers(1, 6, n), 0)
        self.experience = rng.integers(0, 31, n)
        self.employment = rng.integers(0, 64, n) & rng.integers(0, 64, n)
        self.listed = rng.choice(len(world.countries), n)

    def record(self, i: int) -> SeekerFeatures:
        w = self.world
        country = w.countries[int(self.country[i])]
        citizenship = str(self.citizenship[i])
        citizen_of = country if citizenship == "--" else citizenship
        rights: dict[str, date | None] = {}
        if citizen_of not in w.ref.eaeu_members and self.permit_days[i] > -9999:
            rights[country] = AS_OF + timedelta(days=int(self.permit_days[i]))
        lo, hi = int(self.ptr[i]), int(self.ptr[i + 1])
        skills = {
            int(s): SeekerSkill(int(level))
            for s, level in zip(self.skills[lo:hi], self.levels[lo:hi], strict=True)
        }
        languages = {"ru": int(self.russian[i]) if country != "RU" else 7}
        if country != "RU":
            languages[NATIVE[country]] = 7
        if self.english[i]:
            languages["en"] = int(self.english[i])
        desired = {w.occupations[int(self.occupation[i])]}
        if self.second[i] >= 0:
            desired.add(w.occupations[int(self.second[i])])
        salary = None
        if self.has_salary[i]:
            amount = WAGE[country] * float(self.salary[i])
            period = SalaryPeriod.MONTH
            if self.hourly[i]:
                amount, period = amount / 173, SalaryPeriod.HOUR
            salary = Salary(round(amount, 2), CURRENCY[country], period, bool(self.gross[i]))
        scope = tuple(MobilityScope)[int(self.scope[i])]
        return SeekerFeatures(
            id=i + 1,
            citizenships=frozenset({citizen_of}),
            country=country,
            region=self.region[i],
            work_rights=MappingProxyType(rights),
            mobility_scope=scope,
            mobility_countries=frozenset({w.countries[int(self.listed[i])]}),
            remote_preference=tuple(RemotePreference)[int(self.preference[i])],
            accepts_rotational=bool(self.rotational[i]),
            available_from=(
                None
                if self.available[i] == -9999
                else AS_OF + timedelta(days=int(self.available[i]))
            ),
            salary=salary,
            skills=MappingProxyType(skills),
            languages=MappingProxyType(languages),
            desired_occupations=frozenset(desired),
            experience_years=int(self.experience[i]),
            employment_types=frozenset(
                t for b, t in enumerate(EmploymentType) if self.employment[i] >> b & 1
            ),
        )

    def records(self) -> Iterator[SeekerFeatures]:
        return (self.record(i) for i in range(self.n))

    def fetch(self, ids: Sequence[int]) -> Mapping[int, SeekerFeatures]:
        return {i: self.record(i - 1) for i in ids}


class Vacancies:
    def __init__(self, world: World, n: int, rng: np.random.Generator) -> None:
        self.world, self.n = world, n
        self.country, self.region = world.places(n, rng)
        self.occupation = rng.choice(len(world.occupations), n, p=world.occupation_p)
        self.ptr, self.skills = world.skill_lists(self.occupation, 3, 16, 0.9, rng)
        self.levels = rng.choice(np.arange(1, 6), len(self.skills), p=[0.1, 0.25, 0.4, 0.2, 0.05])
        self.required = rng.integers(3, 13, n)
        self.mode = rng.choice(3, n, p=[0.75, 0.15, 0.1])
        self.eligibility = rng.choice(3, n, p=[0.15, 0.7, 0.15])
        self.employment = rng.choice(6, n, p=[0.7, 0.08, 0.05, 0.04, 0.08, 0.05])
        self.russian = rng.choice([0, 3, 4], n, p=[0.2, 0.5, 0.3])
        self.hard = rng.random(n) < 0.25
        self.salary = rng.lognormal(0.1, 0.3, n)
        self.has_salary = rng.random(n) < 0.85
        self.help = rng.integers(0, 8, n) * (rng.random(n) < 0.4)
        self.experience = rng.choice([0, 1, 2, 3, 5], n)
        self.start = np.where(rng.random(n) < 0.5, -9999, rng.integers(0, 60, n))

    def record(self, i: int) -> VacancyFeatures:
        w = self.world
        country = w.countries[int(self.country[i])]
        lo, hi = int(self.ptr[i]), int(self.ptr[i + 1])
        asked = {
            int(s): int(level)
            for s, level in zip(self.skills[lo:hi], self.levels[lo:hi], strict=True)
        }
        keys = list(asked)
        required = {s: asked[s] for s in keys[: int(self.required[i])]}
        optional = {s: asked[s] for s in keys[int(self.required[i]) :][:4]}
        languages = {}
        if self.russian[i]:
            languages["ru"] = LanguageRequirement(int(self.russian[i]), bool(self.hard[i]))
        mode = tuple(WorkMode)[int(self.mode[i])]
        amount = WAGE[country] * float(self.salary[i])
        return VacancyFeatures(
            id=i + 1,
            country=country,
            region=self.region[i],
            occupation=w.occupations[int(self.occupation[i])],
            work_mode=mode,
            remote_countries=frozenset(w.countries) if mode is WorkMode.REMOTE else frozenset(),
            employment_type=tuple(EmploymentType)[int(self.employment[i])],
            required_skills=MappingProxyType(required),
            optional_skills=MappingProxyType(optional),
            languages=MappingProxyType(languages),
            salary_min=round(amount * 0.8, 0) if self.has_salary[i] else None,
            salary_max=round(amount, 0) if self.has_salary[i] else None,
            salary_currency=CURRENCY[country] if self.has_salary[i] else None,
            eligibility=tuple(Eligibility)[int(self.eligibility[i])],
            relocation_travel=bool(self.help[i] & 1),
            relocation_housing=bool(self.help[i] & 2),
            relocation_registration=bool(self.help[i] & 4),
            min_experience_years=int(self.experience[i]),
            start_date=(
                None if self.start[i] == -9999 else AS_OF + timedelta(days=int(self.start[i]))
            ),
        )

    def records(self) -> Iterator[VacancyFeatures]:
        return (self.record(i) for i in range(self.n))

    def fetch(self, ids: Sequence[int]) -> Mapping[int, VacancyFeatures]:
        return {i: self.record(i - 1) for i in ids}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(call: Callable[[], R]) -> tuple[float, R]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def pick(records: Mapping[int, R], ids: Sequence[int]) -> Mapping[int, R]:
    return {i: records[i] for i in ids}


def naive_top(
    records: Sequence[SeekerFeatures], vacancy: VacancyFeatures, ref: ReferenceData
) -> list[MatchResult]:
    results = [r for r in (score(s, vacancy, ref) for s in records) if r.eligible]
    results.sort(key=lambda r: (-r.score, r.seeker_id))
    return results[:K]


PG_DATABASE = "borderless_bench"
PG_TABLE = "bench_seeker_skills"
PG_DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/"
PG_COLUMNS = (
    "id",
    "country",
    "region",
    "citizenships",
    "work_rights",
    "mobility_scope",
    "mobility_countries",
    "mobility_regions",
    "remote_preference",
    "accepts_rotational",
    "languages",
    "skills",
    "levels",
)


@dataclass(frozen=True)
class PgFigures:
    median: float
    p95: float
    gin_plans: int  # queries whose plan reads the GIN index


class PostgresGin:
    """The seekers in a PostgreSQL table with a GIN index over their skill arrays.

    One connection for the whole run; ``load`` replaces the table for each size and
    ``drop`` removes it. Every query is planned for its own values (no prepared
    statements, so no generic plan), and JIT is off for the session: at these sizes it
    only adds compile time, and the comparison should show PostgreSQL at its best.
    """

    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self.conn = conn
        self.table = sql.Identifier(PG_TABLE)

    @classmethod
    def connect(cls, url: str) -> PostgresGin | str:
        """The comparison, or why it cannot run (the server is unreachable, or refuses)."""
        try:
            with psycopg.connect(
                url, dbname="postgres", autocommit=True, connect_timeout=5
            ) as admin:
                found = admin.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
                ).fetchone()
                if found is None:
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
            conn = psycopg.connect(url, dbname=PG_DATABASE, autocommit=True, connect_timeout=5)
        except psycopg.Error as error:
            return f"{type(error).__name__}: {' '.join(str(error).split()) or 'no message'}"
        conn.prepare_threshold = None
        conn.execute("SET jit = off")
        return cls(conn)

    def settings(self) -> str:
        row = self.conn.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'),"
            " current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')"
        ).fetchone()
        assert row is not None
        version, buffers, work_mem, workers = row
        return (
            f"PostgreSQL {version}: shared_buffers {buffers}, work_mem {work_mem}, "
            f"{workers} parallel workers per gather, jit off for this session"
        )

    def load(self, seekers: Iterator[SeekerFeatures]) -> None:
        table = self.table
        self.drop()
        # Unlogged: a scratch table need not survive a crash, and it loads faster.
        self.conn.execute(
            sql.SQL(
                """CREATE UNLOGGED TABLE {} (
                    id integer NOT NULL,
                    country text NOT NULL,
                    region text,
                    citizenships text[] NOT NULL,
                    work_rights jsonb NOT NULL,
                    mobility_scope text NOT NULL,
                    mobility_countries text[] NOT NULL,
                    mobility_regions text[] NOT NULL,
                    remote_preference text NOT NULL,
                    accepts_rotational boolean NOT NULL,
                    languages jsonb NOT NULL,
                    skills integer[] NOT NULL,
                    levels smallint[] NOT NULL
                )"""
            ).format(table)
        )
        start = time.perf_counter()
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            table, sql.SQL(", ").join(map(sql.Identifier, PG_COLUMNS))
        )
        with self.conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for s in seekers:
                copy.write_row(
                    (
                        s.id,
                        s.country,
                        s.region,
                        sorted(s.citizenships),
                        Jsonb(
                            {
                                country: None if until is None else until.isoformat()
                                for country, until in s.work_rights.items()
                            }
                        ),
                        s.mobility_scope.value,
                        sorted(s.mobility_countries),
                        sorted(s.mobility_regions),
                        s.remote_preference.value,
                        s.accepts_rotational,
                        Jsonb(dict(s.languages)),
                        list(s.skills),
                        [skill.level for skill in s.skills.values()],
                    )
                )
        copied = time.perf_counter() - start
        start = time.perf_counter()
        self.conn.execute("SET maintenance_work_mem = '1GB'")
        self.conn.execute(
            sql.SQL("CREATE INDEX {} ON {} USING gin (skills)").format(
                sql.Identifier(f"{PG_TABLE}_skills_gin"), table
            )
        )
        indexed = time.perf_counter() - start
        start = time.perf_counter()
        # VACUUM too: it sets the hint bits and the visibility map a live table would have.
        self.conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(table))
        analysed = time.perf_counter() - start
        sizes = self.conn.execute(
            "SELECT pg_table_size(%s), pg_indexes_size(%s)", [PG_TABLE, PG_TABLE]
        ).fetchone()
        assert sizes is not None
        print(
            f"PostgreSQL load: COPY (with making the records) {copied:.2f} s, GIN index {indexed:.2f} s, "
            f"VACUUM ANALYZE {analysed:.2f} s; table {sizes[0] / 2**20:.0f} MiB, "
            f"GIN index {sizes[1] / 2**20:.0f} MiB"
        )

    def query(
        self, vacancy: VacancyFeatures, ref: ReferenceData
    ) -> tuple[sql.Composed, dict[str, Any]]:
        """The top-K query for a vacancy: the engine's hard filters, then coverage.

        The filters are written for the vacancy at hand, as an application would build
        them, so that each one is as simple as the vacancy allows.
        """
        required = sorted(vacancy.required_skills.items())
        params: dict[str, Any] = {
            "skills": [skill for skill, _ in required],
            "den": float(sum(level for _, level in required)),
            "country": vacancy.country,
            "region": vacancy.region,
            "eaeu": sorted(ref.eaeu_members),
            "permit_day": date.fromordinal(permit_check_day(vacancy, ref)),
            "remote": sorted(vacancy.remote_countries or {vacancy.country}),
            "k": K,
        }
        member = vacancy.country in ref.eaeu_members
        remote = vacancy.work_mode is WorkMode.REMOTE
        access = "s.country = ANY(%(remote)s::text[])" if remote else "false"
        # The core operator by name: with the intarray extension installed, a bare `&&`
        # on integer[] means intarray's, which the default GIN operator class cannot use.
        where = ["s.skills OPERATOR(pg_catalog.&&) %(skills)s::integer[]"]
        # Work mode: remote-only seekers need remote access; on-site ones no remote job.
        where.append(f"(s.remote_preference <> 'remote_only' OR {access})")
        if remote:
            where.append("s.remote_preference <> 'on_site'")
        scope = (
            "s.region = %(region)s OR s.mobility_scope = 'anywhere'"
            " OR (s.mobility_scope IN ('country', 'eaeu') AND s.country = %(country)s)"
            " OR (s.mobility_scope = 'listed' AND (%(country)s = ANY(s.mobility_countries)"
            " OR %(region)s = ANY(s.mobility_regions)))"
        )
        if member:
            scope += " OR s.mobility_scope = 'eaeu'"
        where.append(f"({access} OR {scope})" if remote else f"({scope})")
        if vacancy.employment_type is EmploymentType.ROTATIONAL:
            where.append("s.accepts_rotational")
        right = "%(country)s = ANY(s.citizenships)"
        if member:
            # EAEU Treaty art. 97: a member state's citizens need no permit in another.
            right += " OR s.citizenships && %(eaeu)s::text[]"
        right += (
            " OR (s.work_rights ? %(country)s"
            " AND coalesce((s.work_rights ->> %(country)s)::date >= %(permit_day)s, true))"
        )
        if vacancy.eligibility is Eligibility.LOCAL:
            where.append(f"s.country = %(country)s AND ({right})")
        elif vacancy.eligibility is Eligibility.EAEU:
            where.append(f"({right})")
        hard = [(code, r) for code, r in sorted(vacancy.languages.items()) if r.hard]
        for i, (code, requirement) in enumerate(hard):
            params[f"language_{i}"], params[f"rank_{i}"] = code, requirement.min_rank
            where.append(
                f"coalesce((s.languages ->> %(language_{i})s)::integer, 0) >= %(rank_{i})s"
            )
        # Levels met, capped at the level asked, summed over the required skills: one
        # array_position per skill rather than a join over unnest(), since that is
        # parallel-safe (the workers compute it) and measured the faster of the two.
        terms = []
        for i, (skill, level) in enumerate(required):
            params[f"skill_{i}"], params[f"level_{i}"] = skill, level
            terms.append(
                f"least(coalesce(s.levels[array_position(s.skills, %(skill_{i})s::integer)], 0),"
                f" %(level_{i})s::integer)"
            )
        if not terms:  # nothing required: `&&` with an empty array matches no row anyway
            terms.append("0")
        query = sql.SQL(
            "SELECT s.id, ({coverage})::float8 / %(den)s AS coverage"
            " FROM {table} AS s WHERE {conditions}"
            " ORDER BY coverage DESC, s.id LIMIT %(k)s"
        ).format(
            coverage=sql.SQL(" + ").join(sql.SQL(t) for t in terms),
            table=self.table,
            conditions=sql.SQL(" AND ").join(sql.SQL(w) for w in where),
        )
        return query, params

    def top(self, vacancy: VacancyFeatures, ref: ReferenceData) -> list[tuple[int, float]]:
        query, params = self.query(vacancy, ref)
        rows = self.conn.execute(query, params).fetchall()
        return [(int(row[0]), float(row[1])) for row in rows]

    def uses_gin(self, vacancy: VacancyFeatures, ref: ReferenceData) -> bool:
        query, params = self.query(vacancy, ref)
        plan = self.conn.execute(sql.SQL("EXPLAIN ") + query, params).fetchall()
        return any("Bitmap Index Scan" in str(line[0]) for line in plan)

    def measure(self, vacancies: Sequence[VacancyFeatures], ref: ReferenceData) -> PgFigures:
        for vacancy in vacancies:  # a warm-up pass: the index is timed with warm memory too
            self.top(vacancy, ref)
        times = [timed(partial(self.top, v, ref))[0] for v in vacancies]
        med, p95 = summary(times)
        return PgFigures(med, p95, sum(self.uses_gin(v, ref) for v in vacancies))

    def drop(self) -> None:
        self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self.table))

    def close(self) -> None:
        try:
            self.drop()
        except psycopg.Error as error:
            print(f"could not drop the scratch table {PG_TABLE}: {error}")
        finally:
            self.conn.close()


def same_formula_top(
    records: Sequence[SeekerFeatures], vacancy: VacancyFeatures, ref: ReferenceData
) -> list[tuple[int, float]]:
    """What the PostgreSQL query should return, from the engine's own eligibility."""
    required = vacancy.required_skills
    den = float(sum(required.values()))
    rows: list[tuple[float, int]] = []
    for s in records:
        shared = [skill for skill in required if skill in s.skills]
        if shared and score(s, vacancy, ref).eligible:
            num = sum(min(s.skills[skill].level, required[skill]) for skill in shared)
            rows.append((-(float(num) / den), s.id))
    rows.sort()
    return [(seeker_id, -neg) for neg, seeker_id in rows[:K]]


@dataclass(frozen=True)
class SizeFigures:
    n: int
    index_median: float
    index_p95: float
    rescored_median: float
    naive_median: float
    pg: PgFigures | None


def bench_seekers(
    n: int,
    world: World,
    queries: Vacancies,
    rng: np.random.Generator,
    pg: PostgresGin | None,
) -> SizeFigures:
    print(f"\n=== {n:,} seekers ===")
    seconds, data = timed(lambda: Seekers(world, n, rng))
    print(f"synthetic data (NumPy arrays)            {seconds:8.2f} s")
    gc.collect()
    seconds, index = timed(lambda: SeekerIndex.build(data.records()))
    sample = min(n, 20_000)
    making, _ = timed(lambda: [data.record(i) for i in range(sample)])
    making *= n / sample
    print(
        f"index build from records                 {seconds:8.2f} s"
        f"   (of which making the records ≈ {making:.2f} s, so the index itself ≈ {seconds - making:.2f} s)"
    )
    print(f"bytes per seeker (array nbytes / n)      {index.nbytes / n:8.1f}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seekers.npz"
        saved, _ = timed(lambda: index.save(path))
        loaded_in, loaded = timed(lambda: SeekerIndex.load(path))
        size = path.stat().st_size
    print(
        f"snapshot save / load                     {saved:8.2f} s / {loaded_in:.2f} s  ({size / 2**20:.0f} MiB)"
    )
    del loaded

    vacancies = [queries.record(i) for i in range(queries.n)]
    shortlist_times: list[float] = []
    total_times: list[float] = []
    candidates: list[int] = []
    for vacancy in vacancies:
        t_short, shortlist = timed(partial(index.shortlist, vacancy, world.ref, k=K))
        shortlist_times.append(t_short)
        candidates.append(len(shortlist.ids))
        records = data.fetch([int(i) for i in shortlist.ids[: K + 20]] + shortlist.uncertain_ids)
        fetch = partial(pick, records)
        t_total, _ = timed(partial(top_seekers, index, vacancy, world.ref, k=K, fetch=fetch))
        total_times.append(t_total)
    med, p95 = summary(shortlist_times)
    print(f"index top-{K} per vacancy (ranking, exact) median {ms(med)}   p95 {ms(p95)}")
    tmed, tp95 = summary(total_times)
    print(
        f"  + engine re-scores the {K} for explanations median {ms(tmed)}   p95 {ms(tp95)}"
        f"   (records already fetched; shortlist size median {int(statistics.median(candidates))})"
    )

    sample_records = [data.record(i) for i in range(min(n, 10_000))]
    naive_times = [
        timed(partial(naive_top, sample_records, v, world.ref))[0] for v in vacancies[:5]
    ]
    naive = statistics.median(naive_times) * n / len(sample_records)
    label = (
        "measured"
        if n <= 10_000
        else f"extrapolated ×{n // len(sample_records)} from 10,000 measured"
    )
    print(f"naive Python loop over engine.score      median {ms(naive)}   ({label})")
    print(
        f"speed-up: index vs naive                 {naive / med:8.0f}×  (with re-scoring {naive / tmed:.0f}×)"
    )
    if n <= 10_000:
        same = all(
            [(r.seeker_id, r.score) for r in naive_top(sample_records, v, world.ref)]
            == [
                (r.seeker_id, r.score)
                for r in top_seekers(index, v, world.ref, k=K, fetch=data.fetch)
            ]
            for v in vacancies[:10]
        )
        print(f"index top-{K} identical to the naive top-{K} (10 vacancies): {same}")
    if n == 100_000:
        shards = 4
        owner = np.array([shard_of(i + 1, shards) for i in range(n)])
        parts = [
            SeekerIndex.build(data.record(i) for i in np.flatnonzero(owner == s).tolist())
            for s in range(shards)
        ]
        same = True
        for v in vacancies[:10]:
            merged = merge_top_k(
                [top_seekers(p, v, world.ref, k=K, fetch=data.fetch) for p in parts], k=K
            )
            whole = top_seekers(index, v, world.ref, k=K, fetch=data.fetch)
            same &= [(r.seeker_id, r.score) for r in merged] == [
                (r.seeker_id, r.score) for r in whole
            ]
        print(f"4 shards by shard_of, merged top-{K} == global top-{K} (10 vacancies): {same}")
    pg_figures = None
    if pg is not None:
        del index  # the server needs the memory more than the index now
        gc.collect()
        try:
            pg_figures = bench_postgres(pg, data, vacancies, world.ref, sample_records, med, tmed)
        except psycopg.Error as error:
            # The index's figures stand on their own; say why the comparison is missing.
            print(f"PostgreSQL GIN comparison failed at {n:,} seekers: {error}")
    return SizeFigures(n, med, p95, tmed, naive, pg_figures)


def bench_postgres(
    pg: PostgresGin,
    data: Seekers,
    vacancies: Sequence[VacancyFeatures],
    ref: ReferenceData,
    sample_records: Sequence[SeekerFeatures],
    index_median: float,
    rescored_median: float,
) -> PgFigures:
    pg.load(data.records())
    try:
        if data.n <= 10_000:
            same = all(
                pg.top(v, ref) == same_formula_top(sample_records, v, ref) for v in vacancies[:10]
            )
            print(
                f"PostgreSQL top-{K} == the engine's eligibility + the same coverage in Python"
                f" (10 vacancies): {same}"
            )
        figures = pg.measure(vacancies, ref)
    finally:
        pg.drop()
    print(
        f"PostgreSQL GIN top-{K} (&&, coverage, hard filters) median {ms(figures.median)}"
        f"   p95 {ms(figures.p95)}   (after a warm-up pass; {figures.gin_plans} of"
        f" {len(vacancies)} plans read the GIN index)"
    )
    print(
        f"speed-up: index vs PostgreSQL GIN        {figures.median / index_median:8.0f}×"
        f"  (with re-scoring {figures.median / rescored_median:.0f}×):"
        f" index is {figures.median / index_median:.0f}× faster than PostgreSQL GIN"
    )
    return figures


def print_summary(sizes: Sequence[SizeFigures]) -> None:
    print(f"\n=== summary: top-{K} per vacancy, medians (p95) ===")
    print(
        f"{'seekers':>10} {'index':>19} {'PostgreSQL GIN':>21} {'×PG':>6}"
        f" {'Python loop':>12} {'×loop':>7}"
    )
    for f in sizes:
        index = f"{f.index_median * 1000:.2f} ({f.index_p95 * 1000:.2f}) ms"
        if f.pg is None:
            pg, ratio = "—", "—"
        else:
            pg = f"{f.pg.median * 1000:.1f} ({f.pg.p95 * 1000:.1f}) ms"
            ratio = f"{f.pg.median / f.index_median:.0f}×"
        loop = f"{f.naive_median * 1000:.0f} ms"
        print(
            f"{f.n:>10,} {index:>19} {pg:>21} {ratio:>6} {loop:>12}"
            f" {f.naive_median / f.index_median:>6.0f}×"
        )
    for f in sizes:
        if f.n != 1_000_000:
            continue
        checks = [
            f"median {f.index_median * 1000:.2f} ms ≤ 10 ms: {f.index_median <= 0.010}",
            f"{f.naive_median / f.index_median:.0f}× ≥ 20× the Python loop:"
            f" {f.naive_median / f.index_median >= 20}",
        ]
        if f.pg is not None:
            checks.insert(
                1,
                f"{f.pg.median / f.index_median:.0f}× ≥ 8× PostgreSQL GIN:"
                f" {f.pg.median / f.index_median >= 8}",
            )
        print("targets at 1M seekers: " + "; ".join(checks))


def bench_vacancies(world: World, seekers: int, rng: np.random.Generator) -> None:
    n = 100_000
    print(f"\n=== one seeker against {n:,} vacancies ===")
    data = Vacancies(world, n, rng)
    seconds, index = timed(lambda: VacancyIndex.build(data.records()))
    print(
        f"index build from records                 {seconds:8.2f} s   bytes per vacancy {index.nbytes / n:.1f}"
    )
    people = Seekers(world, seekers, rng)
    times, totals = [], []
    for i in range(seekers):
        seeker = people.record(i)
        t, shortlist = timed(partial(index.shortlist, seeker, world.ref, k=K))
        times.append(t)
        records = data.fetch([int(v) for v in shortlist.ids[: K + 20]] + shortlist.uncertain_ids)
        fetch = partial(pick, records)
        t_total, _ = timed(partial(top_vacancies, index, seeker, world.ref, k=K, fetch=fetch))
        totals.append(t_total)
    med, p95 = summary(times)
    print(f"index top-{K} per seeker                  median {ms(med)}   p95 {ms(p95)}")
    tmed, tp95 = summary(totals)
    print(f"  + engine re-scores the {K}              median {ms(tmed)}   p95 {ms(tp95)}")
    sample = [data.record(i) for i in range(10_000)]
    seeker = people.record(0)
    naive, _ = timed(lambda: [score(seeker, v, world.ref) for v in sample])
    print(f"naive Python loop (extrapolated ×10 from 10,000 measured) {ms(naive * 10)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--vacancies", type=int, default=60, help="queries per size (≥ 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-reverse", action="store_true")
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL GIN comparison")
    args = parser.parse_args()
    pg: PostgresGin | None = None
    if args.no_pg:
        print("PostgreSQL GIN comparison skipped: --no-pg")
    else:
        url = os.environ.get("DATABASE_URL", PG_DEFAULT_URL)
        connected = PostgresGin.connect(url)
        if isinstance(connected, str):
            print(f"PostgreSQL GIN comparison skipped: cannot reach {PG_DATABASE} ({connected})")
        else:
            pg = connected
            print(pg.settings())
    try:
        run(args, pg)
    finally:
        if pg is not None:
            pg.close()


def run(args: argparse.Namespace, pg: PostgresGin | None) -> None:
    rng = np.random.default_rng(args.seed)
    world = World.make(rng)
    queries = Vacancies(world, args.vacancies, rng)
    print(
        f"{N_SKILLS:,} skills, {len(world.occupations)} occupations, "
        f"{len(world.ref.skill_broader):,} broader-skill links; top-{K}; {args.vacancies} vacancies per size"
    )
    figures = []
    for size in (int(s) for s in args.sizes.split(",")):
        figures.append(bench_seekers(size, world, queries, rng, pg))
        gc.collect()
    if not args.skip_reverse:
        bench_vacancies(world, 50, rng)
    print_summary(figures)


if __name__ == "__main__":
    main()
