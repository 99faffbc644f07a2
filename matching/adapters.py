"""Rows from PostgreSQL turned into the engine's records, in bulk.

The engine never sees a model. Everything here reads in chunks of ids with flat
``values_list`` queries (one per related table), so building an index over a million
profiles streams instead of holding a million model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db.models import Max, Q, QuerySet

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
        chunk = matchable_seekers().filter(pk__in=ids[start : start + CHUNK])
        out.update((r.id, r) for r in _seeker_chunk(chunk, today=today))
    return out


def iter_seeker_records(
    *, today: date, where: Q | None = None, chunk: int = CHUNK
) -> Iterator[SeekerFeatures]:
    """Every matchable profile (that fits ``where``) as records, in id order."""
    last = 0
    base = matchable_seekers().filter(where or Q())
    while True:
        ids = list(base.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return
        yield from _seeker_chunk(SeekerProfile.objects.filter(pk__in=ids), today=today)
        last = ids[-1]


def _seeker_chunk(profiles: QuerySet[SeekerProfile], *, today: date) -> list[SeekerFeatures]:
    rows = list(
        profiles.order_by("pk").values_list(
            "pk",
            "country_id",
            "region_id",
            "mobility_scope",
            "remote_preference",
            "accepts_rotational",
            "available_from",
            "salary_amount",
            "salary_currency_id",
            "salary_period",
            "salary_is_gross",
            "employment_types",
        )
    )
    ids = [row[0] for row in rows]
    citizenships = _grouped(
        SeekerProfile.citizenships.through.objects.filter(seekerprofile_id__in=ids).values_list(
            "seekerprofile_id", "country_id"
        )
    )
    mobility_countries = _grouped(
        SeekerProfile.mobility_countries.through.objects.filter(
            seekerprofile_id__in=ids
        ).values_list("seekerprofile_id", "country_id")
    )
    mobility_regions = _grouped(
        SeekerProfile.mobility_regions.through.objects.filter(seekerprofile_id__in=ids).values_list(
            "seekerprofile_id", "region_id"
        )
    )
    occupations = _grouped(
        SeekerProfile.desired_occupations.through.objects.filter(
            seekerprofile_id__in=ids
        ).values_list("seekerprofile_id", "occupation_id")
    )
    skills = _grouped(
        SeekerSkillRow.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "skill_id", "level", "years"
        )
    )
    languages = _grouped(
        SeekerLanguage.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "language_id", "level"
        )
    )
    rights = _grouped(
        WorkRight.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "country_id", "valid_until"
        )
    )
    spans = _grouped(
        Experience.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "start_date", "end_date"
        )
    )
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
    ) in rows:
        permits: dict[str, date | None] = {}
        for right_country, valid_until in rights.get(pk, ()):
            # Two permits for one country: the one that lasts longer counts.
            old = permits.get(right_country, date.min)
            permits[right_country] = (
                None if valid_until is None or old is None else max(old, valid_until)
            )
        records.append(
            SeekerFeatures(
                id=pk,
                citizenships=frozenset(c for (c,) in citizenships.get(pk, ())),
                country=country,
                region=region,
                work_rights=MappingProxyType(permits),
                mobility_scope=MobilityScope(scope),
                mobility_countries=frozenset(c for (c,) in mobility_countries.get(pk, ())),
                mobility_regions=frozenset(r for (r,) in mobility_regions.get(pk, ())),
                remote_preference=RemotePreference(remote),
                accepts_rotational=rotational,
                available_from=available_from,
                salary=(
                    Salary(float(amount), currency, SalaryPeriod(period), gross)
                    if amount is not None and currency
                    else None
                ),
                skills=MappingProxyType(
                    {skill: SeekerSkill(level, years) for skill, level, years in skills.get(pk, ())}
                ),
                languages=MappingProxyType(
                    {code: CEFR_RANK[level] for code, level in languages.get(pk, ())}
                ),
                desired_occupations=frozenset(o for (o,) in occupations.get(pk, ())),
                experience_years=_years_of(list(spans.get(pk, ())), today),
                employment_types=frozenset(EmploymentType(t) for t in employment_types),
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
        chunk = base.filter(pk__in=ids[start : start + CHUNK])
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
        yield from _vacancy_chunk(Vacancy.objects.filter(pk__in=ids))
        last = ids[-1]


def _vacancy_chunk(vacancies: QuerySet[Vacancy]) -> list[VacancyFeatures]:
    rows = list(
        vacancies.order_by("pk").values_list(
            "pk",
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
    )
    ids = [row[0] for row in rows]
    through = Vacancy.remote_countries.through.objects.filter(vacancy_id__in=ids)
    remote = _grouped(through.values_list("vacancy_id", "country_id"))
    skills = _grouped(
        VacancySkill.objects.filter(vacancy_id__in=ids).values_list(
            "vacancy_id", "skill_id", "min_level", "required"
        )
    )
    languages = _grouped(
        VacancyLanguage.objects.filter(vacancy_id__in=ids).values_list(
            "vacancy_id", "language_id", "min_level", "required"
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
