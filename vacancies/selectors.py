"""Reads of employers and vacancies that depend on who asks, and the salary arithmetic
the public search shares with the ordering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from accounts.models import User
from taxonomy.models import Currency
from taxonomy.reference import CURRENCIES
from taxonomy.selectors import RateUnavailable, convert, rate_on
from vacancies.models import (
    Employer,
    EmployerInvitation,
    EmployerMember,
    Vacancy,
    VacancyLanguage,
    VacancyQuerySet,
    VacancyRevision,
    VacancySkill,
)


def _money_field() -> DecimalField[Decimal, Decimal]:
    return DecimalField(max_digits=20, decimal_places=2)


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


def salary_at_least(
    vacancies: VacancyQuerySet, *, amount: Decimal, currency: str, on: date | None = None
) -> VacancyQuerySet:
    """Vacancies that can pay at least ``amount`` a month in ``currency``.

    The amount is converted once into each salary currency at the rate of the day, and
    each vacancy's stored ``salary_monthly`` is compared in its own currency: no row's
    salary is converted, and the index on (currency, monthly salary) serves.
    """
    on = on or timezone.localdate()
    condition = Q(pk__in=[])
    for code in CURRENCIES:
        try:
            threshold = convert(amount=amount, source=currency, target=code, on=on)
        except RateUnavailable:
            continue  # no vacancy is priced in a currency without a rate (see services)
        condition |= Q(salary_currency_id=code, salary_monthly__gte=threshold)
    return vacancies.filter(condition)


def with_salary_in_usd(vacancies: VacancyQuerySet, *, on: date | None = None) -> VacancyQuerySet:
    """Annotate ``salary_usd``: the monthly salary in US dollars at the day's rate,
    rounded to cents (0 when no salary is given), to order by across currencies."""
    on = on or timezone.localdate()
    cases = []
    for code in CURRENCIES:
        try:
            per_usd = rate_on(currency=code, on=on)
        except RateUnavailable:
            continue
        cases.append(
            When(salary_currency_id=code, then=F("salary_monthly") / Value(per_usd, _money_field()))
        )
    return vacancies.annotate(
        salary_usd=Round(
            Coalesce(
                Case(*cases, default=None, output_field=_money_field()),
                Value(Decimal(0), _money_field()),
            ),
            2,
            output_field=_money_field(),
        )
    )
