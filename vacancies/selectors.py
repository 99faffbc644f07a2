"""Reads of employers and vacancies that depend on who asks, and the salary arithmetic
the public search shares with the ordering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.models import User
from taxonomy.models import Currency, ExchangeRate
from taxonomy.reference import CURRENCIES
from taxonomy.selectors import RateUnavailable, rate_on
from vacancies.models import (
    Employer,
    EmployerInvitation,
    EmployerMember,
    SalaryRate,
    Vacancy,
    VacancyLanguage,
    VacancyQuerySet,
    VacancyRevision,
    VacancySkill,
)

_CENTS = Decimal("0.01")


def is_platform_staff(user: User) -> bool:
    """Reviewers and administrators: they see every employer and verify them."""
    return user.is_reviewer or user.is_staff


def employer_membership(*, user: User) -> EmployerMember | None:
    return EmployerMember.objects.select_related("employer").filter(user=user).first()


def employers_visible_to(*, user: User) -> QuerySet[Employer]:
    """Staff see every employer; a member sees their own; anyone else none."""
    employers = Employer.objects.select_related("country")
    if is_platform_staff(user):
        return employers.order_by("name", "id")
    return employers.filter(members__user=user).order_by("name", "id")


def employer_members(*, employer: Employer) -> QuerySet[EmployerMember]:
    return employer.members.select_related("user").order_by("role", "joined_at", "id")


def employer_invitations(*, employer: Employer) -> QuerySet[EmployerInvitation]:
    return employer.invitations.select_related("invited_by").order_by("-created_at", "-id")


SKILL_COLUMNS = ("id", "vacancy_id", "skill_id", "min_level", "required")


def _with_requirements(vacancies: VacancyQuerySet) -> VacancyQuerySet:
    # The search vector is kilobytes of text nobody displays.
    return (
        vacancies.defer("search_vector")
        .select_related("employer", "occupation", "country", "region", "salary_currency")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=VacancySkill.objects.select_related("skill").order_by(
                    "-required", "skill_id"
                ),
            ),
            Prefetch("languages", queryset=VacancyLanguage.objects.order_by("language_id")),
            Prefetch("remote_countries"),
        )
    )


def vacancies_for_member(*, user: User) -> VacancyQuerySet:
    """The vacancies of the caller's employer, whatever their state; none for others."""
    return _with_requirements(Vacancy.objects.filter(employer__members__user=user).order_by("-id"))


def vacancies_public(*, today: date | None = None) -> VacancyQuerySet:
    """What anyone may see: published vacancies on or before their last day."""
    return _with_requirements(Vacancy.objects.open(today=today).order_by("-published_at", "-id"))


def vacancies_public_keys(*, today: date | None = None) -> VacancyQuerySet:
    """The open vacancies with only the columns that order and page them.

    The search filters, ranks, sorts and pages these narrow rows; only the page that
    results is loaded whole (``vacancies_hydrate``), so the sort never carries wide rows
    and their joins: at 100,000 vacancies that halves the time of a ranked search.
    """
    return (
        Vacancy.objects.open(today=today)
        .only("id", "published_at")
        .order_by("-published_at", "-id")
    )


def vacancies_hydrate(page: Sequence[Vacancy]) -> list[Vacancy]:
    """The full rows (with skills and languages) of a page of narrow rows, in its order,
    keeping the search rank the narrow rows carry."""
    full = _with_requirements(Vacancy.objects.all()).in_bulk([v.pk for v in page])
    hydrated = []
    for narrow in page:
        vacancy = full.get(narrow.pk)
        if vacancy is None:  # deleted between the two queries
            continue
        if hasattr(narrow, "rank"):
            vacancy.rank = narrow.rank  # type: ignore[attr-defined]  # an annotation
        hydrated.append(vacancy)
    return hydrated


# The columns of a vacancy anyone may see, and of what it joins, as plain values; the
# localised names come in every language we hold and the serializer picks one.
PUBLIC_VACANCY_COLUMNS = (
    "id", "title", "description", "occupation_id", "country_id", "region_id", "city",
    "work_mode", "employment_type", "schedule", "rotation_pattern", "salary_min",
    "salary_max", "salary_currency_id", "salary_period", "salary_is_gross", "positions",
    "relocation_travel", "relocation_housing", "relocation_registration", "eligibility",
    "min_experience_years", "expires_on", "published_at", "employer_id", "employer__name",
    "employer__country_id", "employer__website", "employer__verified",
    "occupation__title_en", "occupation__title_ru", "region__name_en", "region__name_ru",
    "region__name_kk",
)  # fmt: skip


def vacancies_public_rows(vacancies: VacancyQuerySet) -> list[dict[str, Any]]:
    """The public fields of ``vacancies`` (in no particular order) as plain dicts, each
    with its ``skills``, ``languages`` and ``remote_countries`` lists.

    Four queries whatever the number, and no model instances: a page of the search
    builds some 490 instances through ``vacancies_hydrate``, which took more CPU than
    the search itself.
    """
    rows = list(vacancies.values(*PUBLIC_VACANCY_COLUMNS))
    if not rows:
        return []
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["skills"], row["languages"], row["remote_countries"] = [], [], []
        by_id[row["id"]] = row
    ids = list(by_id)
    # The orders are those of the prefetches the API had: required skills first, then by
    # id; languages by code; remote countries by their English name (Country's ordering).
    skills = (
        VacancySkill.objects.filter(vacancy_id__in=ids)
        .order_by("vacancy_id", "-required", "skill_id")
        .values_list(
            "vacancy_id", "skill_id", "skill__label_en", "skill__label_ru", "min_level", "required"
        )
    )
    for vacancy_id, *skill in skills:
        by_id[vacancy_id]["skills"].append(skill)
    languages = (
        VacancyLanguage.objects.filter(vacancy_id__in=ids)
        .order_by("vacancy_id", "language_id")
        .values_list("vacancy_id", "language_id", "min_level", "required")
    )
    for vacancy_id, *language in languages:
        by_id[vacancy_id]["languages"].append(language)
    remote = (
        Vacancy.remote_countries.through.objects.filter(vacancy_id__in=ids)
        .order_by("vacancy_id", "country__name_en", "country_id")
        .values_list("vacancy_id", "country_id")
    )
    for vacancy_id, country_id in remote:
        by_id[vacancy_id]["remote_countries"].append(country_id)
    return rows


def vacancy_revisions(*, vacancy: Vacancy) -> QuerySet[VacancyRevision]:
    return vacancy.revisions.select_related("changed_by").order_by("number")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def vacancy_matching_snapshot(*, vacancy: Vacancy) -> dict[str, Any]:
    """The fields matching uses, as JSON. Read from the database, not from caches, so
    it is right straight after a write."""
    skills = VacancySkill.objects.filter(vacancy=vacancy).order_by("skill_id")
    languages = VacancyLanguage.objects.filter(vacancy=vacancy).order_by("language_id")
    return {
        "occupation": vacancy.occupation_id,
        "country": vacancy.country_id,
        "region": vacancy.region_id,
        "city": vacancy.city,
        "work_mode": vacancy.work_mode,
        "remote_countries": sorted(vacancy.remote_countries.values_list("code", flat=True)),
        "employment_type": vacancy.employment_type,
        "rotation_pattern": vacancy.rotation_pattern,
        "salary_min": _money(vacancy.salary_min),
        "salary_max": _money(vacancy.salary_max),
        "salary_currency": vacancy.salary_currency_id,
        "salary_period": vacancy.salary_period,
        "salary_is_gross": vacancy.salary_is_gross,
        "eligibility": vacancy.eligibility,
        "min_experience_years": vacancy.min_experience_years,
        "skills": [
            {"skill": s.skill_id, "min_level": s.min_level, "required": s.required} for s in skills
        ],
        "languages": [
            {"language": lang.language_id, "min_level": lang.min_level, "required": lang.required}
            for lang in languages
        ],
    }


# --- Salaries ---------------------------------------------------------------------


def salary_currency_has_rate(*, currency: Currency | str, on: date | None = None) -> bool:
    code = currency if isinstance(currency, str) else currency.code
    try:
        rate_on(currency=code, on=on or timezone.localdate())
    except RateUnavailable:
        return False
    return True


def salary_rates_on(*, on: date | None = None) -> dict[str, Decimal]:
    """Units of each currency per US dollar on ``on`` (the latest rate not after that
    day), in one query; the dollar at 1. A currency without a rate is left out."""
    on = on or timezone.localdate()
    rates: dict[str, Decimal] = dict(
        ExchangeRate.objects.filter(date__lte=on)
        .order_by("currency_id", "-date")
        .distinct("currency_id")
        .values_list("currency_id", "units_per_usd")
    )
    rates["USD"] = Decimal(1)
    return rates


def salary_at_least(
    vacancies: VacancyQuerySet, *, amount: Decimal, currency: str, on: date | None = None
) -> VacancyQuerySet:
    """Vacancies that can pay at least ``amount`` a month in ``currency``.

    The amount is converted once into each salary currency at the rate of the day (as
    ``taxonomy.selectors.convert`` does), and each vacancy's stored ``salary_monthly``
    is compared in its own currency: no row's salary is converted, and the index on
    (currency, monthly salary) serves.
    """
    rates = salary_rates_on(on=on)
    if currency not in rates:
        return vacancies.none()  # the form refuses a currency without a rate
    condition = Q(pk__in=[])
    for code in CURRENCIES:
        if code not in rates:
            continue  # no vacancy is priced in a currency without a rate (see services)
        threshold = amount
        if code != currency:
            threshold = (amount * rates[code] / rates[currency]).quantize(
                _CENTS, rounding=ROUND_HALF_UP
            )
        condition |= Q(salary_currency_id=code, salary_monthly__gte=threshold)
    return vacancies.filter(condition)


def salary_rates_stored() -> dict[str, Decimal]:
    """The rates ``Vacancy.salary_usd`` was last computed with."""
    return dict(SalaryRate.objects.values_list("currency_id", "units_per_usd"))
