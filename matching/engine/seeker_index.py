"""The candidate index over seekers: one vacancy against every seeker in one pass.

Per seeker (row) a few small NumPy columns for the hard filters and the cheap
components, the levels of the most common skills as columns, and postings lists
(skill → rows with their levels, occupation → rows, listed places, permits, rare
citizenships and languages) for the sparse rest. A query computes the hard filters
and the skills-and-occupation points of every row with vectorised operations, then
evaluates the engine's full formula only for the rows that can still reach the top k
(``_seeker_query``; ``_select`` says why that is exact).

Not thread-safe: a query reuses the index's scratch buffers. Workers are processes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from matching.engine import rules
from matching.engine._rows import Encoded, RowIndex
from matching.engine._seeker_layout import (
    CITIZENSHIP_BITS,
    COLUMNS,
    DENSE_LANGUAGES,
    DENSE_SKILLS,
    EMPLOYMENT,
    FLAG_GROSS,
    FLAG_HOURLY,
    FLAG_ROTATIONAL,
    FLAG_SALARY,
    OTHER_CITIZENSHIP,
    POSTINGS,
    PREFERENCES,
    SCOPES,
)
from matching.engine._seeker_query import SeekerQuery
from matching.engine._select import RowScores, Shortlist, pool_size, select
from matching.engine._store import CodeTable, Scratch
from matching.engine.records import (
    MobilityScope,
    ReferenceData,
    SalaryPeriod,
    SeekerFeatures,
    VacancyFeatures,
    Weights,
)

Array = np.ndarray[Any, Any]


class SeekerIndex(RowIndex[SeekerFeatures]):
    columns_spec: ClassVar[dict[str, Any]] = {
        **COLUMNS,
        **{f"lang.{code}": np.uint8 for code in DENSE_LANGUAGES},
    }
    postings_spec = POSTINGS
    tables = ("countries", "places", "currencies", "citizenship_bits", "dense_skills")

    def __init__(self, *, dense_skills: int = DENSE_SKILLS) -> None:
        self.dense_count = dense_skills
        super().__init__(dense_skills=dense_skills)
        self.countries = CodeTable(limit=255)
        self.places = CodeTable(limit=65535)  # (country, region or "")
        self.currencies = CodeTable(limit=255)
        self.citizenship_bits = CodeTable(CITIZENSHIP_BITS, limit=7)
        self.dense_skills = CodeTable(limit=dense_skills)  # skill id → column slot
        self.scratch = Scratch()
        self.distances = rules.Distances(places_first=True)

    def column_spec(self) -> dict[str, Any]:
        return {
            **self.columns_spec,
            **{f"skill.{slot}": np.uint8 for slot in range(self.dense_count)},
        }

    def _finish_build(self) -> None:
        skills = self.postings["skills"]
        by_count = sorted((-skills.count(key), key) for key in skills.keys)
        chosen = [key for _count, key in by_count[: self.dense_count]]
        for key in chosen:
            found = skills.get(key)
            if found is not None:
                slot = self.dense_skills.add(key)
                self.columns.arrays[f"skill.{slot}"][found[0]] = found[1]
        skills.drop(chosen)

    def skill_column(self, skill: int) -> Array | None:
        slot = self.dense_skills.get(skill)
        return None if slot is None else self.columns[f"skill.{slot}"]

    def _encode(self, s: SeekerFeatures) -> Encoded:
        mask = 0
        foreign: list[tuple[Any, ...]] = []
        for code in sorted(s.citizenships):
            try:
                mask |= 1 << self.citizenship_bits.add(code)
            except OverflowError:
                mask |= OTHER_CITIZENSHIP
                foreign.append((code,))
        flags = FLAG_ROTATIONAL if s.accepts_rotational else 0
        salary, currency = 0.0, 0
        if s.salary is not None:
            flags |= FLAG_SALARY
            flags |= FLAG_GROSS if s.salary.gross else 0
            flags |= FLAG_HOURLY if s.salary.period == SalaryPeriod.HOUR else 0
            salary, currency = s.salary.amount, self.currencies.add(s.salary.currency)
        values: dict[str, Any] = {
            "id": s.id,
            "alive": True,
            "country": self.countries.add(s.country),
            "place": self.places.add((s.country, s.region or "")),
            "scope": SCOPES.index(s.mobility_scope),
            "preference": PREFERENCES.index(s.remote_preference),
            "flags": flags,
            "citizenship": mask,
            "salary": salary,
            "currency": currency,
            "experience": min(max(s.experience_years, 0), 65535),
            "employment": sum(1 << EMPLOYMENT.index(t) for t in s.employment_types),
            "available": s.available_from.toordinal() if s.available_from else 0,
        }
        sparse_skills: list[tuple[Any, ...]] = []
        # Dense skill columns a row lacks stay 0 (new rows are zeroed).
        for skill, held in s.skills.items():
            slot = self.dense_skills.get(skill)
            if slot is None:
                sparse_skills.append((skill, held.level))
            else:
                values[f"skill.{slot}"] = held.level
        languages: list[tuple[Any, ...]] = []
        for code in DENSE_LANGUAGES:
            values[f"lang.{code}"] = 0
        for code, rank in s.languages.items():
            if code in DENSE_LANGUAGES:
                values[f"lang.{code}"] = rank
            else:
                languages.append((code, rank))
        listed = s.mobility_scope == MobilityScope.LISTED
        return Encoded(
            values,
            {
                "skills": sparse_skills,
                "occupations": [(code,) for code in s.desired_occupations],
                "listed_countries": [(c,) for c in s.mobility_countries] if listed else [],
                "listed_regions": [(r,) for r in s.mobility_regions] if listed else [],
                "permits": [
                    (country, until.toordinal() if until else 0)
                    for country, until in s.work_rights.items()
                ],
                "foreign": foreign,
                "languages": languages,
            },
        )

    def shortlist(
        self,
        vacancy: VacancyFeatures,
        ref: ReferenceData,
        weights: Weights | None = None,
        *,
        k: int,
        pool: int | None = None,
    ) -> Shortlist:
        """A superset of the eligible seekers' top k by (−score, id), exact where certain."""
        query = SeekerQuery(self, vacancy, ref, weights or Weights())
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
        self, vacancy: VacancyFeatures, ref: ReferenceData, weights: Weights | None = None
    ) -> RowScores:
        """Every row's verdict, raw score and bound: what ``shortlist`` relies on."""
        query = SeekerQuery(self, vacancy, ref, weights or Weights())
        rows = np.arange(self.columns.size)
        bound = query.key().astype(np.float64) + query.rest()
        return RowScores(self.columns["id"], query.eligible().copy(), query.evaluate(rows), bound)
