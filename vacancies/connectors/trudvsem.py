""" "Work in Russia" (trudvsem.ru) open data: ``GET /api/v1/vacancies`` answers
``{"status", "meta": {"total", "limit"}, "results": {"vacancies": [{"vacancy": {…}}]}}``.

A vacancy has ``id``, ``job-name``, ``company`` (``name``, ``inn``, ``ogrn``…),
``region`` (``region_code`` — a KLADR code — and ``name``), ``salary_min``/``salary_max``
(0 when not given) in ``currency`` ("«руб.»"), ``employment``, ``schedule``, ``duty``,
``requirement`` (``education``, ``experience`` in years, ``qualification``),
``category.specialisation``, ``hardSkills``/``softSkills``, ``work_places``,
``creation-date``, ``modify-date`` and ``vac_url``. The portal publishes Russian
vacancies only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vacancies.connectors.base import Connector, MappedVacancy, Page
from vacancies.connectors.http import Fetcher
from vacancies.connectors.mapping import (
    KLADR_REGIONS,
    MappingError,
    Taxonomy,
    amount,
    rotation_in,
    safe_html,
    text_of,
)

PAGE_SIZE = 100
MAX_PAGES = 50

EMPLOYMENT = {
    "полная занятость": "full_time",
    "частичная занятость": "part_time",
    "временная": "temporary",
    "сезонная": "seasonal",
    "стажировка": "temporary",
    "удаленная": "full_time",
}


def _skills(vacancy: dict[str, Any]) -> list[str]:
    labels = []
    for key, name in (("hardSkills", "hard_skill_name"), ("softSkills", "soft_skill_name")):
        for item in vacancy.get(key) or []:
            labels.append(text_of(item.get(name)) if isinstance(item, dict) else text_of(item))
    return labels


class TrudvsemConnector(Connector):
    kind = "trudvsem"
    wrappers = (("results", "vacancies"),)

    def map(self, payload: dict[str, Any], taxonomy: Taxonomy) -> MappedVacancy:
        vacancy = payload.get("vacancy", payload)
        if not isinstance(vacancy, dict):
            raise MappingError("no vacancy object")
        external_id = text_of(vacancy.get("id"))
        if not external_id:
            raise MappingError("no id")
        title = text_of(vacancy.get("job-name"))
        if not title:
            raise MappingError("no job-name")
        company = vacancy.get("company") or {}
        if not isinstance(company, dict) or not text_of(company.get("name")):
            raise MappingError("no company name")
        unmapped: dict[str, list[str]] = {}

        region_given = vacancy.get("region") or {}
        kladr = text_of(region_given.get("region_code"))[:2]
        by_code = KLADR_REGIONS.get(kladr)
        if by_code and by_code in taxonomy.regions:
            country, region = "RU", by_code
        else:
            country, region = taxonomy.region(text_of(region_given.get("name")), country="RU")

        low = amount(vacancy.get("salary_min"))
        high = amount(vacancy.get("salary_max"))
        currency = None
        if low is not None or high is not None:
            given = text_of(vacancy.get("currency")) or "руб."
            currency = taxonomy.currency(given)
            if currency is None:
                unmapped["currency"] = [given]
                low = high = None
        if low is not None and high is not None and low > high:
            low, high = high, low

        employment = text_of(vacancy.get("employment"))
        employment_type = EMPLOYMENT.get(employment.casefold().replace("ё", "е"))
        if employment and employment_type is None:
            unmapped["employment_type"] = [employment]
        schedule = text_of(vacancy.get("schedule"))
        duty = text_of(vacancy.get("duty"))
        rotation = ""
        if "вахт" in schedule.casefold():
            rotation = rotation_in(schedule, duty, title)
            if rotation:
                employment_type = "rotational"
            else:
                unmapped.setdefault("employment_type", []).append(
                    f"{schedule} without a days-on/days-off pattern"
                )

        skills, missing = taxonomy.skills_for(_skills(vacancy))
        if missing:
            unmapped["skills"] = missing
        category = vacancy.get("category") or {}
        occupation = taxonomy.occupation(
            code=text_of(vacancy.get("code_profession")),
            titles=(title, text_of(category.get("specialisation"))),
        )
        requirement = vacancy.get("requirement") or {}
        experience = requirement.get("experience") if isinstance(requirement, dict) else None
        places = vacancy.get("work_places")
        return MappedVacancy(
            external_id=external_id[:200],
            url=text_of(vacancy.get("vac_url"))[:500],
            title=title[:200],
            description=safe_html(duty),
            employer_name=text_of(company.get("name"))[:200],
            employer_registration=text_of(company.get("ogrn") or company.get("inn")),
            occupation=occupation,
            country=country,
            region=region,
            employment_type=employment_type or "full_time",
            work_mode="remote" if employment.casefold().startswith("удал") else "on_site",
            remote_countries=["RU"] if employment.casefold().startswith("удал") else [],
            schedule="" if rotation else schedule[:100],
            rotation_pattern=rotation,
            salary_min=low,
            salary_max=high,
            salary_currency=currency,
            positions=places if isinstance(places, int) and 0 < places < 10000 else 1,
            min_experience_years=experience
            if isinstance(experience, int) and 0 <= experience < 60
            else 0,
            skills=skills,
            changed_at=text_of(vacancy.get("modify-date") or vacancy.get("creation-date"))[:40],
            unmapped=unmapped,
        )

    def fetch(self, fetcher: Fetcher, url: str, cursor: str) -> Iterator[Page]:
        newest = cursor
        for page in range(MAX_PAGES):
            params: dict[str, Any] = {"offset": page, "limit": PAGE_SIZE}
            if cursor:
                params["modifiedFrom"] = cursor
            records = list(self.parse(fetcher.get(url, params=params).text))
            for record in records:
                vacancy = (record.payload or {}).get("vacancy", {}) if record.payload else {}
                changed = text_of(vacancy.get("modify-date")) if isinstance(vacancy, dict) else ""
                newest = max(newest, changed)
            yield Page(records=records, cursor=newest)
            if len(records) < PAGE_SIZE:
                return
