"""A vacancy as schema.org ``JobPosting`` JSON-LD: what the API and the feed give other
systems, and what the vacancy's page embeds for search engines.

Schema.org has no words for three of our employment types; their ``employmentType``
list adds "SEASONAL", "ROTATIONAL" or "REMOTE" after the schema.org value (which
readers that do not know ours still understand), and a rotation's pattern is given in
``workHours``. A vacancy that is no longer open has ``validThrough`` in the past.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from taxonomy.choices import EmploymentType, WorkMode
from vacancies.models import Vacancy

EMPLOYMENT_TYPES: dict[str, list[str]] = {
    EmploymentType.FULL_TIME: ["FULL_TIME"],
    EmploymentType.PART_TIME: ["PART_TIME"],
    EmploymentType.TEMPORARY: ["TEMPORARY"],
    EmploymentType.SEASONAL: ["TEMPORARY", "SEASONAL"],
    EmploymentType.ROTATIONAL: ["FULL_TIME", "ROTATIONAL"],
    EmploymentType.REMOTE: ["FULL_TIME", "REMOTE"],
}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _is_open(vacancy: Vacancy, today: date) -> bool:
    return (
        vacancy.status == Vacancy.Status.PUBLISHED
        and vacancy.expires_on is not None
        and vacancy.expires_on >= today
    )


def vacancy_api_url(vacancy: Vacancy) -> str:
    return settings.SITE_URL + reverse("vacancy-jobposting", kwargs={"pk": vacancy.pk})


def vacancy_jobposting(vacancy: Vacancy, *, today: date | None = None) -> dict[str, Any]:
    """The ``JobPosting`` of a vacancy (with its employer, occupation, region, currency,
    skills and remote countries loaded: ``selectors_federation.vacancies_exported``)."""
    today = today or timezone.localdate()
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "@id": vacancy_api_url(vacancy),
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "borderless",
            "value": str(vacancy.pk),
        },
        "url": vacancy_api_url(vacancy),
        "title": vacancy.title,
        "description": vacancy.description,
        "employmentType": EMPLOYMENT_TYPES.get(vacancy.employment_type, ["OTHER"]),
        "totalJobOpenings": vacancy.positions,
        "dateModified": vacancy.updated_at.isoformat(),
    }
    if vacancy.published_at:
        posting["datePosted"] = vacancy.published_at.isoformat()
    if _is_open(vacancy, today):
        posting["validThrough"] = vacancy.expires_on.isoformat()  # type: ignore[union-attr]
    else:
        # Closed, filled, paused or past its day: no longer open since it changed.
        posting["validThrough"] = min(vacancy.updated_at, timezone.now()).isoformat()
    employer = vacancy.employer
    organisation: dict[str, Any] = {
        "@type": "Organization",
        "name": employer.name,
        "address": {"@type": "PostalAddress", "addressCountry": employer.country_id},
    }
    if not employer.registration_number.startswith("~"):  # "~": no number was known
        organisation["identifier"] = employer.registration_number
    if employer.website:
        organisation["sameAs"] = employer.website
    posting["hiringOrganization"] = organisation
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressCountry": vacancy.country_id,
        "addressRegion": vacancy.region_id,
    }
    if vacancy.city:
        address["addressLocality"] = vacancy.city
    posting["jobLocation"] = {"@type": "Place", "address": address}
    if vacancy.work_mode == WorkMode.REMOTE:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = [
            {"@type": "Country", "name": country.code}
            for country in sorted(vacancy.remote_countries.all(), key=lambda c: c.code)
        ]
    if vacancy.salary_currency_id and (vacancy.salary_min or vacancy.salary_max):
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": "HOUR" if vacancy.salary_period == "hour" else "MONTH",
        }
        if vacancy.salary_min is not None:
            value["minValue"] = _number(vacancy.salary_min)
        if vacancy.salary_max is not None:
            value["maxValue"] = _number(vacancy.salary_max)
        posting["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": vacancy.salary_currency_id,
            "value": value,
        }
    posting["occupationalCategory"] = {
        "@type": "CategoryCode",
        "codeValue": vacancy.occupation_id,
        "inCodeSet": "ISCO-08",
        "name": vacancy.occupation.title_en,
    }
    skills = [s.skill for s in vacancy.skills.all()]
    if skills:
        posting["skills"] = [
            {"@type": "DefinedTerm", "name": skill.label_en, "termCode": skill.uri}
            for skill in skills
        ]
    if vacancy.min_experience_years:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": vacancy.min_experience_years * 12,
        }
    if vacancy.employment_type == EmploymentType.ROTATIONAL:
        posting["workHours"] = f"rotation {vacancy.rotation_pattern} days"
    elif vacancy.schedule:
        posting["workHours"] = vacancy.schedule
    return posting
