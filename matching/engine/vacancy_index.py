"""The candidate index over vacancies: one seeker against every open vacancy.

The mirror of ``seeker_index``: per vacancy small columns (including the CEFR level
asked of the common languages), postings for skills (with the level asked and whether
the skill is optional), rare languages and the countries a remote vacancy is open to.
A query scores the skills and the occupation of every vacancy, then the engine's full
formula for those that can still reach the top k (``_vacancy_query``, ``_select``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from matching.engine import rules, scoring
from matching.engine._rows import Encoded, RowIndex
from matching.engine._select import RowScores, Shortlist, pool_size, select
from matching.engine._store import CodeTable
from matching.engine._vacancy_layout import (
    COLUMNS,
    DENSE_LANGUAGES,
    ELIGIBILITY,
    EMPLOYMENT,
    GROSS,
    HOURLY,
    HOUSING,
    MODES,
    OFFER,
    POSTINGS,
    REGISTRATION,
    REGULATED,
    TRAVEL,
)
from matching.engine._vacancy_query import VacancyQuery
from matching.engine.records import (
    ReferenceData,
    SalaryPeriod,
    SeekerFeatures,
    VacancyFeatures,
    Weights,
    WorkMode,
)

Array = np.ndarray[Any, Any]


class VacancyIndex(RowIndex[VacancyFeatures]):
    columns_spec: ClassVar[dict[str, Any]] = COLUMNS
    postings_spec = POSTINGS
    tables = ("countries", "places", "currencies", "occupations")

    def __init__(self) -> None:
        super().__init__()
        self.countries = CodeTable(limit=255)
        self.places = CodeTable(limit=65535)  # (country, region)
        self.currencies = CodeTable(limit=255)
        self.occupations = CodeTable(limit=65535)
        self.distances = rules.Distances(places_first=False)
        self._denominators: tuple[tuple[int, float], Array] | None = None
        self._scales: tuple[tuple[int, float, float], tuple[Array, Array]] | None = None
        self._hard: tuple[int, int] | None = None
        self._by_prefix: tuple[int, dict[str, list[int]]] | None = None

    def hard_language_bits(self) -> int:
        """The dense languages some vacancy requires strictly (bits of hard_languages)."""
        if self._hard is None or self._hard[0] != self.version:
            column = self.columns["hard_languages"]
            self._hard = (self.version, int(np.bitwise_or.reduce(column)) if len(column) else 0)
        return self._hard[1]

    def skill_denominators(self, weights: Weights) -> Array:
        """The engine's ``skill_denominator`` of every vacancy, kept until a change."""
        key = (self.version, weights.optional_skill_factor)
        if self._denominators is None or self._denominators[0] != key:
            c = self.columns
            den = c["required_levels"] + weights.optional_skill_factor * c["optional_levels"]
            self._denominators = (key, den)
        return self._denominators[1]

    def skill_points(self, weights: Weights) -> tuple[Array, Array]:
        """(points per unit of credit, points when no skill is asked) of every vacancy:
        the key's skills part is credit × the first + the second."""
        key = (self.version, weights.optional_skill_factor, weights.skills)
        if self._scales is None or self._scales[0] != key:
            den = self.skill_denominators(weights)
            asked = den > 0.0
            with np.errstate(divide="ignore"):
                scale = np.where(asked, weights.skills / den, 0.0)
            self._scales = (key, (scale, np.where(asked, 0.0, weights.skills)))
        return self._scales[1]

    def occupations_by_prefix(self) -> dict[str, list[int]]:
        """Occupation table slots by the code's first two digits (its sub-major group)."""
        codes = self.occupations.codes
        if self._by_prefix is None or self._by_prefix[0] != len(codes):
            groups: dict[str, list[int]] = {}
            for i, code in enumerate(codes):
                groups.setdefault(code[:2], []).append(i)
            self._by_prefix = (len(codes), groups)
        return self._by_prefix[1]

    def _encode(self, v: VacancyFeatures) -> Encoded:
        regulated = (
            v.regulated if v.regulated is not None else rules.is_regulated_occupation(v.occupation)
        )
        flags = (
            (TRAVEL if v.relocation_travel else 0)
            | (HOUSING if v.relocation_housing else 0)
            | (REGISTRATION if v.relocation_registration else 0)
            | (REGULATED if regulated else 0)
            | (HOURLY if v.salary_period == SalaryPeriod.HOUR else 0)
            | (GROSS if v.salary_gross else 0)
        )
        offer, currency = scoring.offer_amount(v), 0
        if offer is not None and v.salary_currency is not None:
            flags |= OFFER
            currency = self.currencies.add(v.salary_currency)
        remote: list[tuple[Any, ...]] = []
        if v.work_mode == WorkMode.REMOTE:
            remote = [(c,) for c in sorted(v.remote_countries or {v.country})]
        values: dict[str, Any] = {
            "id": v.id,
            "alive": True,
            "country": self.countries.add(v.country),
            "place": self.places.add((v.country, v.region)),
            "occupation": self.occupations.add(v.occupation),
            "mode": MODES.index(v.work_mode),
            "employment": EMPLOYMENT.index(v.employment_type),
            "eligibility": ELIGIBILITY.index(v.eligibility),
            "flags": flags,
            "experience": min(max(v.min_experience_years, 0), 65535),
            "offer": offer if flags & OFFER else 0.0,
            "currency": currency,
            "start": v.start_date.toordinal() if v.start_date else 0,
            "required_levels": sum(v.required_skills.values()),
            "optional_levels": sum(v.optional_skills.values()),
            "language_levels": sum(r.min_rank for r in v.languages.values()),
            "hard_languages": 0,
        }
        languages: list[tuple[Any, ...]] = []
        for code in DENSE_LANGUAGES:
            values[f"lang.{code}"] = 0
        for code, requirement in v.languages.items():
            if code in DENSE_LANGUAGES:
                values[f"lang.{code}"] = requirement.min_rank
                if requirement.hard:
                    values["hard_languages"] |= 1 << DENSE_LANGUAGES.index(code)
            else:
                languages.append((code, requirement.min_rank, int(requirement.hard)))
        return Encoded(
            values,
            {
                "skills": [(s, m) for s, m in v.required_skills.items()]
                + [(s, m + 6) for s, m in v.optional_skills.items()],
                "languages": languages,
                "remote": remote,
                "occupations": [(v.occupation,)],
            },
        )

    def shortlist(
        self,
        seeker: SeekerFeatures,
        ref: ReferenceData,
        weights: Weights | None = None,
        *,
        k: int,
        pool: int | None = None,
    ) -> Shortlist:
        """A superset of the top k vacancies open to the seeker, by (−score, id)."""
        query = VacancyQuery(self, seeker, ref, weights or Weights())
        return select(
            k=k,
            ids=self.columns["id"],
            key=query.key(),
            eligible=query.eligible(),
            rest=query.rest(),
            evaluate=query.evaluate,
            pool=pool or pool_size(self.columns.size),
        )

    def row_scores(
        self, seeker: SeekerFeatures, ref: ReferenceData, weights: Weights | None = None
    ) -> RowScores:
        """Every row's verdict, raw score and bound: what ``shortlist`` relies on."""
        query = VacancyQuery(self, seeker, ref, weights or Weights())
        rows = np.arange(self.columns.size)
        bound = query.key().astype(np.float64) + query.rest()
        return RowScores(self.columns["id"], query.eligible().copy(), query.evaluate(rows), bound)
