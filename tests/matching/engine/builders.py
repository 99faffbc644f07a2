"""A small world for the engine's rule tests: real places, a welder, a welding job.

``seeker()`` is a Kazakh welder in Almaty; ``vacancy()`` is a welding job in Almaty
open to EAEU citizens. Each test changes only what its rule is about.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

from matching.engine.records import (
    Eligibility,
    LanguageRequirement,
    MatchResult,
    ReferenceData,
    Salary,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
)

AS_OF = date(2026, 3, 2)
WELDING, TIG_WELDING, MIG_WELDING, BLUEPRINTS, FIRST_AID, FORKLIFT, NURSING_CARE = range(1, 8)

REF = ReferenceData(
    as_of=AS_OF,
    eaeu_members=frozenset({"AM", "BY", "KG", "KZ", "RU"}),
    region_centres=MappingProxyType(
        {
            "KZ-75": (43.2389, 76.8897),  # Almaty
            "KZ-19": (43.8667, 77.0667),  # Almaty Region, centre Konaev
            "KZ-71": (51.1694, 71.4491),  # Astana
            "KZ-23": (47.1167, 51.8833),  # Atyrau
            "KG-GB": (42.8746, 74.5698),  # Bishkek
            "RU-MOW": (55.7558, 37.6173),
            "AM-ER": (40.1811, 44.5136),
        }
    ),
    skill_broader=MappingProxyType({TIG_WELDING: WELDING, MIG_WELDING: WELDING}),
    units_per_usd=MappingProxyType(
        {"USD": 1.0, "KZT": 512.0, "RUB": 79.5, "KGS": 87.4, "AMD": 388.0, "BYN": 3.02}
    ),
    ppp_factors=MappingProxyType({"KZ": 180.0, "KG": 25.5, "RU": 29.5}),
    country_currency=MappingProxyType(
        {"KZ": "KZT", "KG": "KGS", "RU": "RUB", "AM": "AMD", "BY": "BYN"}
    ),
)


def seeker(**changes: Any) -> SeekerFeatures:
    base = SeekerFeatures(
        id=1,
        citizenships=frozenset({"KZ"}),
        country="KZ",
        region="KZ-75",
        skills=MappingProxyType({WELDING: SeekerSkill(4, 8), BLUEPRINTS: SeekerSkill(3, 5)}),
        languages=MappingProxyType({"kk": 7, "ru": 6}),
        desired_occupations=frozenset({"7212"}),
        experience_years=8,
        salary=Salary(400_000.0, "KZT"),
    )
    return replace(base, **_frozen(changes))


def vacancy(**changes: Any) -> VacancyFeatures:
    base = VacancyFeatures(
        id=10,
        country="KZ",
        region="KZ-75",
        occupation="7212",
        required_skills=MappingProxyType({WELDING: 3}),
        languages=MappingProxyType({"ru": LanguageRequirement(3)}),
        salary_min=350_000.0,
        salary_max=500_000.0,
        salary_currency="KZT",
        eligibility=Eligibility.EAEU,
        min_experience_years=3,
    )
    return replace(base, **_frozen(changes))


def skills(**levels: int) -> MappingProxyType[int, SeekerSkill]:
    """skills(WELDING=4) → {WELDING: level 4}, by the constants' names."""
    return MappingProxyType({globals()[name]: SeekerSkill(level) for name, level in levels.items()})


def _frozen(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        key: MappingProxyType(value) if isinstance(value, dict) else value
        for key, value in changes.items()
    }


def reasons(result: MatchResult) -> list[str]:
    return [reason.key for reason in result.reasons]


def component(result: MatchResult, key: str) -> float:
    return next(c.value for c in result.components if c.key == key)
