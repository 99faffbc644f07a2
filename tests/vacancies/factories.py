"""Vacancies for the tests, made the way the platform makes them: through the services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from taxonomy.models import Country, Language, Occupation, Region, Skill
from vacancies import services
from vacancies.models import EmployerMember, Vacancy

SKILL_URI = "urn:borderless:skill:{key}"


def skill(key: str) -> Skill:
    return Skill.objects.get(uri=SKILL_URI.format(key=key))


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def post_vacancy(
    *,
    by: User,
    publish: bool = True,
    skills: Sequence[tuple[str, int, bool]] = (("welding", 3, True),),
    languages: Sequence[tuple[str, str]] = (),
    remote_countries: Sequence[str] | None = None,
    occupation: str = "7212",
    country: str = "KZ",
    region: str = "KZ-23",
    **fields: Any,
) -> Vacancy:
    """A vacancy of ``by``'s employer, created (and by default published) by services."""
    employer = EmployerMember.objects.get(user=by).employer
    fields.setdefault("title", "Сварщик")
    fields.setdefault("expires_on", in_days(30))
    vacancy = services.vacancy_create(
        employer=employer,
        by=by,
        occupation=Occupation.objects.get(code=occupation),
        country=Country.objects.get(code=country),
        region=Region.objects.get(code=region),
        skills=[
            {"skill": skill(key), "min_level": level, "required": required}
            for key, level, required in skills
        ],
        languages=[
            {"language": Language.objects.get(code=code), "min_level": level, "required": True}
            for code, level in languages
        ],
        remote_countries=(
            None
            if remote_countries is None
            else list(Country.objects.filter(code__in=remote_countries))
        ),
        **fields,
    )
    if publish:
        vacancy = services.vacancy_publish(vacancy=vacancy, by=by)
    return vacancy


def vacancy_body(**overrides: Any) -> dict[str, Any]:
    """A valid request body for POST /api/v1/employer/vacancies/."""
    return {
        "title": "Сварщик на вахту",
        "description": "<p>Вахта 15/15 в Атырау.</p>",
        "occupation": "7212",
        "country": "KZ",
        "region": "KZ-23",
        "city": "Атырау",
        "employment_type": "rotational",
        "rotation_pattern": "15/15",
        "salary_min": "450000.00",
        "salary_max": "600000.00",
        "salary_currency": "KZT",
        "expires_on": in_days(30).isoformat(),
        "eligibility": "eaeu",
        "relocation_travel": True,
        "relocation_housing": True,
        "skills": [
            {"skill": skill("welding").pk, "min_level": 4, "required": True},
            {"skill": skill("arc-welding").pk, "min_level": 3, "required": False},
        ],
        "languages": [{"language": "ru", "min_level": "B1"}],
    } | overrides
