"""The hh.ru API's vacancy (``GET /vacancies/{id}``): ``id``, ``name``, ``area`` {id,
name}, ``salary`` {from, to, currency, gross}, ``employer`` {id, name, alternate_url},
``employment`` {id}, ``schedule`` {id}, ``experience`` {id}, ``description`` (HTML),
``key_skills`` [{name}], ``professional_roles`` [{id, name}], ``address`` {city},
``published_at``, ``alternate_url``, ``archived``.

A file may hold one vacancy, a list, JSON lines, or a search answer (``items``; those
items lack the description and skills). A fetch pages through the search
(``date_from``) and asks each vacancy's own URL for the whole of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vacancies.connectors.base import Connector, MappedVacancy, Page, RawRecord
from vacancies.connectors.http import Fetcher
from vacancies.connectors.mapping import (
    MappingError,
    Taxonomy,
    amount,
    rotation_in,
    safe_html,
    text_of,
)

PAGE_SIZE = 100
MAX_PAGES = 20  # hh.ru serves at most 2,000 results of one search

EMPLOYMENT = {
    "full": "full_time",
    "part": "part_time",
    "project": "temporary",
    "probation": "temporary",
    "volunteer": "part_time",
}
EXPERIENCE_YEARS = {"noExperience": 0, "between1And3": 1, "between3And6": 3, "moreThan6": 6}
# hh.ru's professional roles (https://api.hh.ru/professional_roles) that name one ISCO-08
# unit group; the others are matched by the vacancy's name.
PROFESSIONAL_ROLES = {
    "96": "2512",  # Программист, разработчик
    "160": "2522",  # DevOps-инженер
    "165": "2511",  # Дата-сайентист
    "113": "2522",  # Системный администратор
    "112": "2523",  # Сетевой инженер
    "148": "2511",  # Системный аналитик
    "18": "2411",  # Бухгалтер
    "21": "8322",  # Водитель
    "52": "9333",  # Грузчик
    "82": "5120",  # Повар, пекарь, кондитер
    "97": "5223",  # Продавец-консультант, продавец-кассир
    "119": "7411",  # Электромонтажник
    "131": "7212",  # Сварщик
}


def _name(value: Any) -> str:
    return text_of(value.get("name")) if isinstance(value, dict) else ""


def _id(value: Any) -> str:
    return text_of(value.get("id")) if isinstance(value, dict) else ""


class HhConnector(Connector):
    kind = "hh"
    wrappers = (("items",),)

    def map(self, payload: dict[str, Any], taxonomy: Taxonomy) -> MappedVacancy:
        external_id = text_of(payload.get("id"))
        if not external_id:
            raise MappingError("no id")
        title = text_of(payload.get("name"))
        if not title:
            raise MappingError("no name")
        employer = payload.get("employer")
        if not _name(employer):
            raise MappingError("no employer name")
        unmapped: dict[str, list[str]] = {}
        address: dict[str, Any] = (
            payload["address"] if isinstance(payload.get("address"), dict) else {}
        )
        city = text_of(address.get("city")) or _name(payload.get("area"))
        country, region = taxonomy.region(_name(payload.get("area")), city)

        salary: dict[str, Any] = (
            payload["salary"] if isinstance(payload.get("salary"), dict) else {}
        )
        low, high = amount(salary.get("from")), amount(salary.get("to"))
        currency = None
        if low is not None or high is not None:
            currency = taxonomy.currency(text_of(salary.get("currency")))
            if currency is None:
                unmapped["currency"] = [text_of(salary.get("currency")) or "none given"]
                low = high = None
        if low is not None and high is not None and low > high:
            low, high = high, low

        employment = _id(payload.get("employment"))
        employment_type = EMPLOYMENT.get(employment, "full_time")
        if employment and employment not in EMPLOYMENT:
            unmapped["employment_type"] = [employment]
        schedule = payload.get("schedule")
        description = text_of(payload.get("description"))
        rotation = ""
        if _id(schedule) == "flyInFlyOut":
            rotation = rotation_in(title, description)
            if rotation:
                employment_type = "rotational"
            else:
                unmapped.setdefault("employment_type", []).append(
                    "flyInFlyOut without a days-on/days-off pattern"
                )
        remote = _id(schedule) == "remote"

        labels = [_name(skill) for skill in payload.get("key_skills") or []]
        skills, missing = taxonomy.skills_for(labels)
        if missing:
            unmapped["skills"] = missing
        roles = [r for r in payload.get("professional_roles") or [] if isinstance(r, dict)]
        by_role = next(
            (PROFESSIONAL_ROLES[_id(r)] for r in roles if _id(r) in PROFESSIONAL_ROLES), None
        )
        occupation = taxonomy.occupation(hint=by_role, titles=(title, *(_name(r) for r in roles)))
        return MappedVacancy(
            external_id=external_id[:200],
            url=text_of(payload.get("alternate_url"))[:500],
            title=title[:200],
            description=safe_html(description),
            employer_name=_name(employer)[:200],
            employer_registration="",
            occupation=occupation,
            country=country,
            region=region,
            city=city[:100],
            employment_type=employment_type,
            work_mode="remote" if remote else "on_site",
            remote_countries=[country] if remote else [],
            schedule="" if rotation else _name(schedule)[:100],
            rotation_pattern=rotation,
            salary_min=low,
            salary_max=high,
            salary_currency=currency,
            salary_is_gross=salary.get("gross") is not False,
            min_experience_years=EXPERIENCE_YEARS.get(_id(payload.get("experience")), 0),
            skills=skills,
            closed=payload.get("archived") is True,
            changed_at=text_of(payload.get("published_at"))[:40],
            unmapped=unmapped,
        )

    def fetch(self, fetcher: Fetcher, url: str, cursor: str) -> Iterator[Page]:
        newest = cursor
        for page in range(MAX_PAGES):
            params: dict[str, Any] = {
                "page": page,
                "per_page": PAGE_SIZE,
                "order_by": "publication_time",
            }
            if cursor:
                params["date_from"] = cursor
            answer = fetcher.get(url, params=params).json()
            items = answer.get("items", []) if isinstance(answer, dict) else []
            records = []
            for number, item in enumerate(items, start=1):
                position = f"page {page + 1} item {number}"
                if not isinstance(item, dict) or not item.get("url"):
                    records.append(RawRecord(position, error="search item without a url"))
                    continue
                detail = fetcher.get(str(item["url"])).json()
                records.append(RawRecord(position, payload=detail))
                newest = max(newest, text_of(detail.get("published_at")))
            yield Page(records=records, cursor=newest)
            if page + 1 >= int(answer.get("pages", 0) or 0):
                return
