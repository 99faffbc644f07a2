"""Figures for the matching engine and its candidate indexes. Prints; asserts nothing.

.venv/bin/python bench/engine.py                      # 10k, 100k and 1M seekers
.venv/bin/python bench/engine.py --sizes 10000,100000 --vacancies 60

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
"""

from __future__ import annotations

import argparse
import csv
import gc
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
from matching.engine.scoring import score  # noqa: E402

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


def bench_seekers(n: int, world: World, queries: Vacancies, rng: np.random.Generator) -> None:
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
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    world = World.make(rng)
    queries = Vacancies(world, args.vacancies, rng)
    print(
        f"{N_SKILLS:,} skills, {len(world.occupations)} occupations, "
        f"{len(world.ref.skill_broader):,} broader-skill links; top-{K}; {args.vacancies} vacancies per size"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        bench_seekers(size, world, queries, rng)
        gc.collect()
    if not args.skip_reverse:
        bench_vacancies(world, 50, rng)


if __name__ == "__main__":
    main()
