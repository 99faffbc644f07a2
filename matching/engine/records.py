"""Typed records the engine reads and writes: plain data, no Django.

The lead's adapters turn rows from PostgreSQL into these; the engine, the candidate
index and the benchmarks only ever see these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

# Bumped whenever a formula changes; together with ``Weights.version`` it says which
# engine computed a stored match.
ENGINE_VERSION = "1"


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


def _no_entries() -> Any:
    return field(default_factory=_empty)


class MobilityScope(StrEnum):
    REGION = "region"
    COUNTRY = "country"
    LISTED = "listed"
    EAEU = "eaeu"
    ANYWHERE = "anywhere"


class RemotePreference(StrEnum):
    ON_SITE = "on_site"
    HYBRID = "hybrid"
    REMOTE_ONLY = "remote_only"
    ANY = "any"


class WorkMode(StrEnum):
    ON_SITE = "on_site"
    HYBRID = "hybrid"
    REMOTE = "remote"


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    TEMPORARY = "temporary"
    SEASONAL = "seasonal"
    ROTATIONAL = "rotational"
    REMOTE = "remote"


class SalaryPeriod(StrEnum):
    MONTH = "month"
    HOUR = "hour"


class Eligibility(StrEnum):
    LOCAL = "local"
    EAEU = "eaeu"
    ANYONE = "anyone"


@dataclass(frozen=True, slots=True)
class Salary:
    """An amount of money per period; ``gross`` is before income tax and social charges."""

    amount: float
    currency: str
    period: SalaryPeriod = SalaryPeriod.MONTH
    gross: bool = True


@dataclass(frozen=True, slots=True)
class SeekerSkill:
    level: int  # 1–5
    years: int = 0


@dataclass(frozen=True, slots=True)
class SeekerFeatures:
    id: int
    citizenships: frozenset[str]
    country: str
    region: str | None = None
    # Residence or work permits: country → last valid day (None: does not expire).
    work_rights: Mapping[str, date | None] = _no_entries()
    mobility_scope: MobilityScope = MobilityScope.COUNTRY
    mobility_countries: frozenset[str] = frozenset()
    mobility_regions: frozenset[str] = frozenset()
    remote_preference: RemotePreference = RemotePreference.ANY
    accepts_rotational: bool = False
    available_from: date | None = None
    salary: Salary | None = None
    skills: Mapping[int, SeekerSkill] = _no_entries()
    # ISO 639 code → CEFR rank: 1 (A1) … 6 (C2), 7 native.
    languages: Mapping[str, int] = _no_entries()
    desired_occupations: frozenset[str] = frozenset()  # ISCO-08 codes
    experience_years: int = 0
    employment_types: frozenset[EmploymentType] = frozenset()


class LanguageRequirement(NamedTuple):
    min_rank: int  # CEFR rank as in SeekerFeatures.languages
    hard: bool = False


@dataclass(frozen=True, slots=True)
class VacancyFeatures:
    id: int
    country: str
    region: str
    occupation: str  # ISCO-08 unit group
    work_mode: WorkMode = WorkMode.ON_SITE
    # Countries a remote worker may live in; empty means the vacancy's own country.
    remote_countries: frozenset[str] = frozenset()
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    required_skills: Mapping[int, int] = _no_entries()  # skill id → minimum level 1–5
    optional_skills: Mapping[int, int] = _no_entries()
    languages: Mapping[str, LanguageRequirement] = _no_entries()
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: SalaryPeriod = SalaryPeriod.MONTH
    salary_gross: bool = True
    eligibility: Eligibility = Eligibility.EAEU
    relocation_travel: bool = False
    relocation_housing: bool = False
    relocation_registration: bool = False
    min_experience_years: int = 0
    # None: derived from the occupation (see rules.is_regulated_occupation).
    regulated: bool | None = None
    start_date: date | None = None


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """What the engine needs from the taxonomy, as of one day (the vacancy's date)."""

    as_of: date
    eaeu_members: frozenset[str]
    region_centres: Mapping[str, tuple[float, float]]  # ISO 3166-2 → (lat, lon)
    skill_broader: Mapping[int, int] = _no_entries()
    units_per_usd: Mapping[str, float] = _no_entries()
    # Local currency units per international dollar; None: compare at market rates only.
    ppp_factors: Mapping[str, float] | None = None
    country_currency: Mapping[str, str] = _no_entries()
    narrower: Mapping[int, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[int, list[int]] = {}
        for skill, broader in self.skill_broader.items():
            children.setdefault(broader, []).append(skill)
        narrower = {key: tuple(sorted(value)) for key, value in children.items()}
        # A frozen dataclass: the derived map is set once, here.
        object.__setattr__(self, "narrower", MappingProxyType(narrower))

    def related_skills(self, skill: int) -> tuple[int, ...]:
        """The skill's broader skill and its narrower ones: where partial credit comes from."""
        broader = self.skill_broader.get(skill)
        below = self.narrower.get(skill, ())
        return below if broader is None else (broader, *below)


COMPONENT_KEYS = (
    "skills",
    "occupation",
    "location",
    "languages",
    "salary",
    "experience",
    "employment",
    "availability",
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Every number that shapes a score, in one versioned place.

    Change any of them and change ``version``: stored matches record it.
    """

    version: str = "2026.1"
    skills: float = 40.0
    occupation: float = 15.0
    location: float = 15.0
    languages: float = 8.0
    salary: float = 10.0
    experience: float = 5.0
    employment: float = 4.0
    availability: float = 3.0
    # An optional skill counts this share of a required one of the same level.
    optional_skill_factor: float = 0.25
    # A narrower or broader skill than the one asked counts this share of it.
    related_skill_factor: float = 0.5
    occupation_minor_group: float = 0.6
    occupation_sub_major_group: float = 0.3
    # Proximity 1 / (1 + d / distance_half_km): 1.0 at 0 km, 0.5 at this distance.
    distance_half_km: float = 300.0
    # Farther than this from home the seeker must move (relocation help then counts).
    commute_km: float = 100.0
    # Proximity when the seeker's region centre is unknown: same country / abroad.
    unknown_distance_same_country: float = 0.5
    unknown_distance_abroad: float = 0.25
    # Share of the gap to 1.0 that full relocation help (travel, housing, registration)
    # closes for a seeker who must move.
    relocation_credit: float = 0.5
    # Net pay as a share of gross pay, for comparing a net figure with a gross one.
    net_share: float = 0.87
    # Salary value 1 − slope × shortfall: an offer at half the expectation scores 0.
    salary_slope: float = 2.0
    salary_unknown: float = 0.5
    # Availability value falls linearly to 0 this many days after the start date.
    availability_grace_days: float = 90.0
    # Compare pay by purchasing power when the PPP factors are given.
    use_ppp: bool = True

    def __post_init__(self) -> None:
        if abs(sum(self.component_weights()) - 100.0) > 1e-9:
            raise ValueError("component weights must sum to 100")
        if min(self.component_weights()) < 0:
            raise ValueError("component weights must not be negative")

    def component_weights(self) -> tuple[float, ...]:
        return (
            self.skills,
            self.occupation,
            self.location,
            self.languages,
            self.salary,
            self.experience,
            self.employment,
            self.availability,
        )


class Component(NamedTuple):
    key: str
    weight: float
    value: float  # 0..1
    points: float  # weight × value, rounded to 0.1 so that the points sum to the score


class Reason(NamedTuple):
    """Why a pair is filtered out: a stable key the pages translate, and its parameters."""

    key: str
    params: Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class MatchResult:
    seeker_id: int
    vacancy_id: int
    score: float  # 0–100, rounded to 0.1
    eligible: bool
    reasons: tuple[Reason, ...]
    flags: tuple[str, ...]
    components: tuple[Component, ...]
    missing_skills: tuple[int, ...]
    version: str

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready data for a ``Match`` row or an API response."""
        return {
            "score": self.score,
            "eligible": self.eligible,
            "reasons": [{"key": r.key, "params": dict(r.params)} for r in self.reasons],
            "flags": list(self.flags),
            "components": [c._asdict() for c in self.components],
            "missing_skills": list(self.missing_skills),
            "version": self.version,
        }
