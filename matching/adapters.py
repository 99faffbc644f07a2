"""Rows from PostgreSQL turned into the engine's records, in bulk.

The engine never sees a model. Everything here reads in chunks of ids with flat
``values_list`` queries (one per related table), so building an index over a million
profiles streams instead of holding a million model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Max, Model, QuerySet
from django.db.models.expressions import RawSQL

from matching.engine import (
    Eligibility,
    EmploymentType,
    LanguageRequirement,
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
from seekers.models import Experience, SeekerLanguage, SeekerProfile, WorkRight
from seekers.models import SeekerSkill as SeekerSkillRow
from taxonomy.models import CEFRLevel, Country, ExchangeRate, PPPFactor, Region, Skill
from vacancies.models import Vacancy, VacancyLanguage, VacancySkill

CHUNK = 2000
DAYS_PER_YEAR = 365.25
CEFR_RANK = {level: CEFRLevel.rank(level) for level in CEFRLevel.values}
# Enum members and the immutable skill entries, looked up instead of constructed: the
# index build makes a million records, and construction is most of its Python time.
_SCOPES = {m.value: m for m in MobilityScope}
_REMOTE = {m.value: m for m in RemotePreference}
_EMPLOYMENT = {m.value: m for m in EmploymentType}
_PERIODS = {m.value: m for m in SalaryPeriod}
_SKILL_ENTRIES: dict[tuple[int, int], SeekerSkill] = {}


def _skill_entry(level: int, years: int) -> SeekerSkill:
    entry = _SKILL_ENTRIES.get((level, years))
    if entry is None:
        entry = _SKILL_ENTRIES[(level, years)] = SeekerSkill(level, years)
    return entry


def matchable_seekers() -> QuerySet[SeekerProfile]:
    """Profiles matching may read: consent to processing given, account active."""
    return SeekerProfile.objects.filter(consent_given_at__isnull=False, user__is_active=True)


def matchable_vacancies(*, today: date) -> QuerySet[Vacancy]:
    return Vacancy.objects.open(today=today)


# --- Reference data -----------------------------------------------------------------


def rates_version() -> tuple[Any, ...]:
    """Changes whenever exchange rates or PPP factors are loaded."""
    rates = ExchangeRate.objects.aggregate(last=Max("id"), day=Max("date"))
    ppp = PPPFactor.objects.aggregate(last=Max("id"))
    return (rates["last"], rates["day"], ppp["last"])


def reference_data(*, on: date) -> ReferenceData:
    """The taxonomy as the engine needs it, with the rates and PPP factors of ``on``."""
    rates: dict[str, float] = {"USD": 1.0}
    seen: set[str] = set()
    for currency, value in (
        ExchangeRate.objects.filter(date__lte=on)
        .order_by("currency_id", "-date")
        .values_list("currency_id", "units_per_usd")
    ):
        if currency not in seen:
            seen.add(currency)
            rates[currency] = float(value)
    ppp: dict[str, float] = {}
    for country, factor in (
        PPPFactor.objects.filter(year__lte=on.year)
        .order_by("country_id", "-year")
        .values_list("country_id", "lcu_per_international_dollar")
    ):
        ppp.setdefault(country, float(factor))
    countries = list(Country.objects.values_list("code", "is_eaeu_member", "currency_id"))
    return ReferenceData(
        as_of=on,
        eaeu_members=frozenset(code for code, member, _ in countries if member),
        region_centres=MappingProxyType(
            {
                code: (lat, lon)
                for code, lat, lon in Region.objects.values_list("code", "latitude", "longitude")
            }
        ),
        skill_broader=MappingProxyType(
            dict(Skill.objects.filter(broader__isnull=False).values_list("id", "broader_id"))
        ),
        units_per_usd=MappingProxyType(rates),
        ppp_factors=MappingProxyType(ppp) if ppp else None,
        country_currency=MappingProxyType(
            {code: currency for code, _, currency in countries if currency}
        ),
    )


# --- Seekers ------------------------------------------------------------------------


def _years_of(spans: list[tuple[date, date | None]], today: date) -> int:
    """Whole years worked, overlapping jobs counted once."""
    total = timedelta()
    end_so_far: date | None = None
    for start, end in sorted(spans):
        stop = min(end or today, today)
        if end_so_far is not None and start < end_so_far:
            start = end_so_far
        if stop > start:
            total += stop - start
            end_so_far = stop if end_so_far is None else max(end_so_far, stop)
    return int(total.days / DAYS_PER_YEAR)


def _select(model: type[Model], columns: Sequence[str], key: str, ids: Sequence[int]) -> list[Any]:
    """``SELECT columns FROM model's table WHERE key in ids`` (``ids`` sorted).

    The ids go as one range (rows of ids outside the set are dropped here) or one
    array: ``pk__in`` would compile thousands of placeholders, slower than the query.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    column = connection.ops.quote_name(key)
    # Dense ids (a chunk of a scan) read faster as a range than as an array.
    dense = len(ids) > 100 and ids[-1] - ids[0] < 2 * len(ids)
    params: list[Any]
    if dense:
        where, params = f"{column} BETWEEN %s AND %s", [ids[0], ids[-1]]
    else:
        where, params = f"{column} = ANY(%s)", [list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} WHERE {where}", params)  # noqa: S608 - names come from the models
        rows: list[Any] = cursor.fetchall()
    if dense:
        wanted = set(ids)
        rows = [row for row in rows if row[0] in wanted]
    return rows


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    groups: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for owner, *rest in rows:
        groups[owner].append(tuple(rest))
    return groups


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def seeker_records(ids: Sequence[int], *, today: date) -> dict[int, SeekerFeatures]:
    """The matchable profiles among ``ids`` as records (the others are left out)."""
    out: dict[int, SeekerFeatures] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = list(
            matchable_seekers()
            .filter(
                pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids[start : start + CHUNK])])
            )
            .values_list("pk", flat=True)
        )
        out.update((r.id, r) for r in _seeker_chunk(chunk, today=today))
    return out


def iter_seeker_records(*, today: date, chunk: int = 5000) -> Iterator[SeekerFeatures]:
    """Every matchable profile as records, in id order.

    PostgreSQL reads the next chunk (on a second connection, in a thread) while this one
    turns the last into records: the query and the Python work overlap on two cores.
    """
    ids = sorted(matchable_seekers().values_list("pk", flat=True))
    chunks = [ids[start : start + chunk] for start in range(0, len(ids), chunk)]
    if not chunks:
        return
    if connection.in_atomic_block:
        # Another connection would not see this transaction's rows: read them here.
        for part in chunks:
            yield from _seeker_rows_to_records(_seeker_rows(part), wanted=set(part), today=today)
        return
    with ThreadPoolExecutor(max_workers=1) as reader:

        def read(part: list[int]) -> list[tuple[Any, ...]]:
            try:
                return _seeker_rows(part)
            finally:
                connection.close()  # the thread's own connection

        pending = reader.submit(read, chunks[0])
        for index, part in enumerate(chunks):
            rows = pending.result()
            if index + 1 < len(chunks):
                pending = reader.submit(read, chunks[index + 1])
            yield from _seeker_rows_to_records(rows, wanted=set(part), today=today)


def _id_filter(column: str, ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """``column`` in ``ids`` (sorted): a range when they are dense (a chunk of a scan,
    rows outside the set dropped by the caller's own filter), else one array —
    ``pk__in`` would compile thousands of placeholders, slower than the query."""
    if len(ids) > 100 and ids[-1] - ids[0] < 2 * len(ids):
        return f"{column} BETWEEN %(lo)s AND %(hi)s", {"lo": ids[0], "hi": ids[-1]}
    return f"{column} = ANY(%(ids)s)", {"ids": list(ids)}


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _seeker_sql(ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """One query: each profile with its rows gathered into arrays by PostgreSQL."""
    where, params = _id_filter("p.id", ids)

    def gathered(model: type[Model], key: str, *columns: str) -> str:
        sub_where, _ = _id_filter(key, ids)
        aggregates = ", ".join(f"array_agg({c} ORDER BY {columns[0]}) AS {c}" for c in columns)
        return (
            f"SELECT {key} AS pid, {aggregates} FROM {_table(model)} WHERE {sub_where} GROUP BY 1"  # noqa: S608 - names from the models
        )

    profile = SeekerProfile
    joins = {
        "cz": gathered(profile.citizenships.through, "seekerprofile_id", "country_id"),
        "mc": gathered(profile.mobility_countries.through, "seekerprofile_id", "country_id"),
        "mr": gathered(profile.mobility_regions.through, "seekerprofile_id", "region_id"),
        "oc": gathered(profile.desired_occupations.through, "seekerprofile_id", "occupation_id"),
        "sk": gathered(SeekerSkillRow, "profile_id", "skill_id", "level", "years"),
        "lg": gathered(SeekerLanguage, "profile_id", "language_id", "level"),
        "wr": gathered(WorkRight, "profile_id", "country_id", "valid_until"),
        "ex": gathered(Experience, "profile_id", "start_date", "end_date"),
    }
    query = f"""
        SELECT p.id, p.country_id, p.region_id, p.mobility_scope, p.remote_preference,
               p.accepts_rotational, p.available_from, p.salary_amount, p.salary_currency_id,
               p.salary_period, p.salary_is_gross, p.employment_types,
               cz.country_id, mc.country_id, mr.region_id, oc.occupation_id,
               sk.skill_id, sk.level, sk.years, lg.language_id, lg.level,
               wr.country_id, wr.valid_until, ex.start_date, ex.end_date
        FROM {_table(profile)} p
        {" ".join(f"LEFT JOIN ({sql}) {alias} ON {alias}.pid = p.id" for alias, sql in joins.items())}
        WHERE {where}
        ORDER BY p.id
    """  # noqa: S608 - table and column names come from the models
    return query, params


def _seeker_chunk(ids: Sequence[int], *, today: date) -> list[SeekerFeatures]:
    """Records of the profiles ``ids`` (known to be matchable), in id order."""
    ids = sorted(ids)
    if not ids:
        return []
    return _seeker_rows_to_records(_seeker_rows(ids), wanted=set(ids), today=today)


def _seeker_rows(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    query, params = _seeker_sql(ids)
    connection.ensure_connection()
    # A server-side-binding cursor with binary results: the arrays load in C, about
    # twice as fast as Django's text-mode client cursor.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, params, binary=True)
        return cursor.fetchall()


def _seeker_rows_to_records(
    rows: list[tuple[Any, ...]], *, wanted: set[int], today: date
) -> list[SeekerFeatures]:
    records = []
    for (
        pk,
        country,
        region,
        scope,
        remote,
        rotational,
        available_from,
        amount,
        currency,
        period,
        gross,
        employment_types,
        citizenships,
        mobility_countries,
        mobility_regions,
        occupations,
        skill_ids,
        skill_levels,
        skill_years,
        language_codes,
        language_levels,
        right_countries,
        right_until,
        starts,
        ends,
    ) in rows:
        if pk not in wanted:
            continue
        permits: dict[str, date | None] = {}
        for right_country, valid_until in zip(
            right_countries or (), right_until or (), strict=True
        ):
            # Two permits for one country: the one that lasts longer counts.
            old = permits.get(right_country, date.min)
            permits[right_country] = (
                None if valid_until is None or old is None else max(old, valid_until)
            )
        records.append(
            SeekerFeatures(
                id=pk,
                citizenships=frozenset(citizenships or ()),
                country=country,
                region=region,
                work_rights=MappingProxyType(permits),
                mobility_scope=_SCOPES[scope],
                mobility_countries=frozenset(mobility_countries or ()),
                mobility_regions=frozenset(mobility_regions or ()),
                remote_preference=_REMOTE[remote],
                accepts_rotational=rotational,
                available_from=available_from,
                salary=(
                    Salary(float(amount), currency, _PERIODS[period], gross)
                    if amount is not None and currency
                    else None
                ),
                skills=MappingProxyType(
                    {
                        skill: _skill_entry(level, years)
                        for skill, level, years in zip(
                            skill_ids or (), skill_levels or (), skill_years or (), strict=True
                        )
                    }
                ),
                languages=MappingProxyType(
                    {
                        code: CEFR_RANK[level]
                        for code, level in zip(
                            language_codes or (), language_levels or (), strict=True
                        )
                    }
                ),
                desired_occupations=frozenset(occupations or ()),
                experience_years=(
                    _years_of(list(zip(starts, ends, strict=True)), today) if starts else 0
                ),
                employment_types=frozenset(_EMPLOYMENT[t] for t in employment_types),
            )
        )
    return records


# --- Vacancies ----------------------------------------------------------------------


def vacancy_records(
    ids: Sequence[int], *, today: date, open_only: bool = True
) -> dict[int, VacancyFeatures]:
    """The open vacancies among ``ids`` as records (the others are left out)."""
    out: dict[int, VacancyFeatures] = {}
    base = matchable_vacancies(today=today) if open_only else Vacancy.objects.all()
    for start in range(0, len(ids), CHUNK):
        chunk = list(
            base.filter(
                pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids[start : start + CHUNK])])
            ).values_list("pk", flat=True)
        )
        out.update((r.id, r) for r in _vacancy_chunk(chunk))
    return out


def iter_vacancy_records(*, today: date, chunk: int = CHUNK) -> Iterator[VacancyFeatures]:
    """Every open vacancy as records, in id order."""
    last = 0
    base = matchable_vacancies(today=today)
    while True:
        ids = list(base.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return
        yield from _vacancy_chunk(ids)
        last = ids[-1]


_VACANCY_COLUMNS = (
    "id",
    "country_id",
    "region_id",
    "occupation_id",
    "work_mode",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency_id",
    "salary_period",
    "salary_is_gross",
    "eligibility",
    "relocation_travel",
    "relocation_housing",
    "relocation_registration",
    "min_experience_years",
)


def _vacancy_chunk(ids: Sequence[int]) -> list[VacancyFeatures]:
    ids = sorted(ids)
    rows = sorted(_select(Vacancy, _VACANCY_COLUMNS, "id", ids))
    through = Vacancy.remote_countries.through
    remote = _grouped(_select(through, ("vacancy_id", "country_id"), "vacancy_id", ids))
    skills = _grouped(
        _select(
            VacancySkill, ("vacancy_id", "skill_id", "min_level", "required"), "vacancy_id", ids
        )
    )
    languages = _grouped(
        _select(
            VacancyLanguage,
            ("vacancy_id", "language_id", "min_level", "required"),
            "vacancy_id",
            ids,
        )
    )
    records = []
    for (
        pk,
        country,
        region,
        occupation,
        work_mode,
        employment_type,
        salary_min,
        salary_max,
        currency,
        period,
        gross,
        eligibility,
        travel,
        housing,
        registration,
        min_years,
    ) in rows:
        wanted = skills.get(pk, ())
        records.append(
            VacancyFeatures(
                id=pk,
                country=country,
                region=region,
                occupation=occupation,
                work_mode=WorkMode(work_mode),
                remote_countries=frozenset(c for (c,) in remote.get(pk, ())),
                employment_type=EmploymentType(employment_type),
                required_skills=MappingProxyType({s: lvl for s, lvl, req in wanted if req}),
                optional_skills=MappingProxyType({s: lvl for s, lvl, req in wanted if not req}),
                languages=MappingProxyType(
                    {
                        code: LanguageRequirement(CEFR_RANK[level], hard=required)
                        for code, level, required in languages.get(pk, ())
                    }
                ),
                salary_min=_money(salary_min),
                salary_max=_money(salary_max),
                salary_currency=currency,
                salary_period=SalaryPeriod(period),
                salary_gross=gross,
                eligibility=Eligibility(eligibility),
                relocation_travel=travel,
                relocation_housing=housing,
                relocation_registration=registration,
                min_experience_years=min_years,
            )
        )
    return records
