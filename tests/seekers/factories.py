"""Seeker profiles for the tests, made the way the platform makes them: through the
services. Also the bytes of small CV files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Any

from accounts.models import User
from seekers import services
from seekers.models import SeekerProfile, Visibility
from taxonomy.models import Country, Language, Occupation, Region, Skill

SKILL_URI = "urn:borderless:skill:{key}"


def skill(key: str) -> Skill:
    return Skill.objects.get(uri=SKILL_URI.format(key=key))


def make_profile(
    user: User,
    *,
    country: str = "KZ",
    region: str | None = "KZ-75",
    citizenships: Sequence[str] = ("KZ",),
    occupations: Sequence[str] = ("7212",),
    skills: Sequence[tuple[str, int]] = (("welding", 4), ("arc-welding", 3)),
    languages: Sequence[tuple[str, str]] = (("ru", "C1"), ("kk", "native")),
    visibility: str = Visibility.HIDDEN,
    visible_in: Sequence[str] = (),
    experience: bool = False,
    **fields: Any,
) -> SeekerProfile:
    """A seeker's profile; consent is given when the visibility asks for it."""
    fields.setdefault("headline", "Сварщик 4 разряда")
    fields.setdefault("phone", "+7 701 555 12 34")
    profile = services.profile_create(
        user=user,
        country=Country.objects.get(code=country),
        region=Region.objects.get(code=region) if region else None,
        citizenships=list(Country.objects.filter(code__in=citizenships)),
        desired_occupations=list(Occupation.objects.filter(code__in=occupations)),
        skills=[{"skill": skill(key), "level": level, "years": 5} for key, level in skills],
        languages=[
            {"language": Language.objects.get(code=code), "level": level}
            for code, level in languages
        ],
        **fields,
    )
    if visibility != Visibility.HIDDEN:
        services.consent_give(profile=profile)
        profile = services.profile_update(
            profile=profile,
            visibility=visibility,
            visible_in_countries=list(Country.objects.filter(code__in=visible_in)) or None,
        )
    if experience:
        services.experience_create(
            profile=profile,
            employer_name="ТОО «Тенгиз Монтаж»",
            country=Country.objects.get(code=country),
            start_date=date(2019, 3, 1),
            end_date=date(2022, 6, 30),
        )
        services.experience_create(
            profile=profile,
            employer_name="АО «Секретный Работодатель»",
            country=Country.objects.get(code=country),
            start_date=date(2022, 7, 1),
        )
    return profile


def profile_body(**overrides: Any) -> dict[str, Any]:
    """A valid request body for PUT /api/v1/profile/."""
    return {
        "headline": "Сварщик на вахту",
        "summary": "Ручная дуговая сварка, НАКС.",
        "phone": "+7 (701) 123-45-67",
        "desired_occupations": ["7212"],
        "employment_types": ["full_time", "rotational"],
        "citizenships": ["KZ"],
        "country": "KZ",
        "region": "KZ-79",
        "city": "Шымкент",
        "mobility_scope": "eaeu",
        "remote_preference": "on_site",
        "accepts_rotational": True,
        "available_from": "2026-12-01",
        "salary_amount": "450000.00",
        "salary_currency": "KZT",
        "salary_period": "month",
        "salary_is_gross": False,
        "skills": [
            {"skill": skill("welding").pk, "level": 4, "years": 8},
            {"skill": skill("arc-welding").pk, "level": 3},
        ],
        "languages": [{"language": "ru", "level": "C1"}, {"language": "kk", "level": "native"}],
    } | overrides


def pdf_bytes(size: int = 0) -> bytes:
    """A (minimal) PDF, padded to ``size`` bytes if asked."""
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return body + b"%" * max(0, size - len(body))


def docx_bytes(*, with_document: bool = True) -> bytes:
    """A minimal Word package (or, without the main part, a ZIP that is not one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
