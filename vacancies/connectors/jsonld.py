"""schema.org ``JobPosting`` in JSON-LD: what any national system or employer site can
produce, and what our own feed gives (so our export imports back into an equal
vacancy).

Read: a single document, a list, JSON lines, or an ``@graph``. Fetched from a URL, with
``cursor`` passed back when the other side pages like our feed (``X-Next-Cursor``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from vacancies.connectors.base import Connector, MappedVacancy, Page, RawRecord
from vacancies.connectors.http import Fetcher
from vacancies.connectors.mapping import (
    MappingError,
    Taxonomy,
    amount,
    date_of,
    rotation_in,
    safe_html,
    text_of,
)

MAX_PAGES = 50

# schema.org's employmentType values, and the three of ours it has no word for.
EMPLOYMENT_TYPES = {
    "FULL_TIME": "full_time",
    "PART_TIME": "part_time",
    "TEMPORARY": "temporary",
    "CONTRACTOR": "temporary",
    "PER_DIEM": "temporary",
    "INTERN": "temporary",
    "SEASONAL": "seasonal",
    "ROTATIONAL": "rotational",
    "REMOTE": "remote",
}
# How many of a unit make a month (HOURS_PER_MONTH is the platform's 173).
PER_MONTH = {
    "YEAR": Decimal(1) / Decimal(12),
    "WEEK": Decimal(52) / Decimal(12),
    "DAY": Decimal("21.67"),
}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _types(document: dict[str, Any]) -> list[str]:
    kind = document.get("@type", "")
    return [str(k) for k in kind] if isinstance(kind, list) else [str(kind)]


def _identifier(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return text_of(value.get("value") or value.get("@id") or value.get("name"))
    return text_of(value)


def _skill_labels(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in re.split(r"[,;\n]", value) if part.strip()]
    if isinstance(value, list):
        labels: list[str] = []
        for item in value:
            labels.extend(_skill_labels(item) if isinstance(item, str) else [text_of(item)])
        return labels
    if isinstance(value, dict):
        return [text_of(value)]
    return []


class JsonLdConnector(Connector):
    kind = "jsonld"

    def unwrap(self, record: RawRecord) -> Iterator[RawRecord]:
        graph = record.payload.get("@graph") if isinstance(record.payload, dict) else None
        if not isinstance(graph, list):
            yield record
            return
        postings = [item for item in graph if "JobPosting" in _types(item)]
        for number, item in enumerate(postings, start=1):
            yield RawRecord(f"{record.position} @graph {number}", payload=item)

    def map(self, payload: dict[str, Any], taxonomy: Taxonomy) -> MappedVacancy:
        if "JobPosting" not in _types(payload):
            raise MappingError(f"not a JobPosting (@type {payload.get('@type')!r})")
        url = text_of(payload.get("url"))
        external_id = _identifier(payload.get("identifier")) or text_of(payload.get("@id")) or url
        if not external_id:
            raise MappingError("no identifier, @id or url")
        title = text_of(payload.get("title"))
        if not title:
            raise MappingError("no title")
        organisation = _first(payload.get("hiringOrganization"))
        if isinstance(organisation, str):
            organisation = {"name": organisation}
        if not isinstance(organisation, dict) or not text_of(organisation.get("name")):
            raise MappingError("no hiringOrganization name")
        unmapped: dict[str, list[str]] = {}

        remote = text_of(payload.get("jobLocationType")).upper() == "TELECOMMUTE"
        location = _first(payload.get("jobLocation")) or {}
        address = location.get("address", {}) if isinstance(location, dict) else {}
        address = _first(address) if address else {}
        if isinstance(address, str):
            address = {"addressLocality": address}
        country_name = text_of(address.get("addressCountry"))
        country = taxonomy.country(country_name)
        if country_name and country is None:
            raise MappingError(f"country not recognised: {country_name!r}")
        city = text_of(address.get("addressLocality"))
        country, region = taxonomy.region(
            text_of(address.get("addressRegion")), city, country=country
        )
        remote_countries: list[str] = []
        if remote:
            for requirement in payload.get("applicantLocationRequirements") or []:
                code = taxonomy.country(text_of(requirement))
                if code:
                    remote_countries.append(code)
            remote_countries = sorted(set(remote_countries)) or [country]

        kinds = [text_of(k).upper() for k in _listed(payload.get("employmentType"))]
        ours = [EMPLOYMENT_TYPES[k] for k in kinds if k in EMPLOYMENT_TYPES]
        unknown = [k for k in kinds if k not in EMPLOYMENT_TYPES and k != "OTHER"]
        if unknown:
            unmapped["employment_type"] = unknown
        # Our own extensions come after the schema.org word they refine.
        employment_type = ours[-1] if ours else "full_time"
        work_hours = text_of(payload.get("workHours"))
        rotation = ""
        if employment_type == "rotational":
            rotation = rotation_in(work_hours, title)
            if not rotation:
                unmapped["employment_type"] = ["ROTATIONAL without a days-on/days-off pattern"]
                employment_type = "full_time"

        salary_min, salary_max, currency, period = _salary(
            payload.get("baseSalary"), taxonomy, unmapped
        )
        skills, missing = taxonomy.skills_for(_skill_labels(payload.get("skills")))
        if missing:
            unmapped["skills"] = missing
        category = _first(payload.get("occupationalCategory"))
        code = (
            text_of(category.get("codeValue")) if isinstance(category, dict) else text_of(category)
        )
        occupation = taxonomy.occupation(
            code=code, titles=(title, text_of(category) if isinstance(category, dict) else "")
        )
        experience = payload.get("experienceRequirements")
        months = experience.get("monthsOfExperience") if isinstance(experience, dict) else None
        valid_through = date_of(payload.get("validThrough"))
        # A moment (our feed's closed vacancies) may have passed today; a day has
        # passed only after it ends.
        until = parse_datetime(text_of(payload.get("validThrough")))
        closed = (
            until < timezone.now()
            if until is not None and timezone.is_aware(until)
            else valid_through is not None and valid_through < timezone.localdate()
        )
        openings = payload.get("totalJobOpenings")
        return MappedVacancy(
            external_id=external_id[:200],
            url=url[:500],
            title=title[:200],
            description=safe_html(text_of(payload.get("description"))),
            employer_name=text_of(organisation.get("name"))[:200],
            employer_registration=_identifier(
                organisation.get("identifier") or organisation.get("taxID")
            ),
            occupation=occupation,
            country=country,
            region=region,
            city=city[:100],
            employment_type=employment_type,
            work_mode="remote" if remote else "on_site",
            remote_countries=remote_countries,
            schedule=work_hours[:100] if not rotation else "",
            rotation_pattern=rotation,
            salary_min=salary_min,
            salary_max=salary_max,
            salary_currency=currency,
            salary_period=period,
            positions=int(openings) if isinstance(openings, int) and 0 < openings < 10000 else 1,
            min_experience_years=(
                int(months) // 12 if isinstance(months, int | float) and 0 <= months < 720 else 0
            ),
            skills=skills,
            expires_on=valid_through,
            closed=closed,
            changed_at=text_of(payload.get("dateModified") or payload.get("datePosted"))[:40],
            unmapped=unmapped,
        )

    def fetch(self, fetcher: Fetcher, url: str, cursor: str) -> Iterator[Page]:
        for _ in range(MAX_PAGES):
            response = fetcher.get(url, params={"cursor": cursor} if cursor else None)
            records = list(self.parse(response.text))
            cursor = response.headers.get("X-Next-Cursor", cursor)
            yield Page(records=records, cursor=cursor)
            if "next" not in response.links:
                return


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _salary(
    value: Any, taxonomy: Taxonomy, unmapped: dict[str, list[str]]
) -> tuple[Decimal | None, Decimal | None, str | None, str]:
    """(min, max, currency, period) of a MonetaryAmount; no salary when the currency is
    one we do not price in (reported), or there is no amount."""
    value = _first(value)
    if not isinstance(value, dict):
        return None, None, None, "month"
    inner = value.get("value")
    unit = "MONTH"
    if isinstance(inner, dict):
        low = amount(inner.get("minValue", inner.get("value")))
        high = amount(inner.get("maxValue", inner.get("value")))
        unit = text_of(inner.get("unitText") or "MONTH").upper()
    else:
        low = high = amount(inner)
    if low is None and high is None:
        return None, None, None, "month"
    currency_given = text_of(value.get("currency"))
    currency = taxonomy.currency(currency_given)
    if currency is None:
        unmapped["currency"] = [currency_given or "none given"]
        return None, None, None, "month"
    if unit == "HOUR":
        period = "hour"
    elif unit == "MONTH":
        period = "month"
    elif unit in PER_MONTH:
        period = "month"
        low, high = (
            None if x is None else (x * PER_MONTH[unit]).quantize(Decimal("1"), ROUND_HALF_UP)
            for x in (low, high)
        )
    else:
        unmapped["salary_unit"] = [unit]
        return None, None, None, "month"
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high, currency, period
