"""The candidate index over vacancies: one seeker against every open vacancy.

The mirror of ``seeker_index``: per vacancy small columns (including the CEFR level
asked of the common languages), postings for skills (with the level asked and whether
the skill is optional), rare languages and the countries a remote vacancy is open to.
A query scores the skills and the occupation of every vacancy, then the engine's full
formula for those that can still reach the top k (``_vacancy_query``, ``_select``).

Derived at the first query after a build, load or compaction, and kept until the next
compaction (an upsert only appends rows, a removal only clears ``alive``): the commonest
skills as columns (``dense_skills``) and the rows of each occupation group
(``occupation_rows``): 24 bytes a vacancy in the benchmark's data, which ``nbytes``
does not count (a snapshot does not hold them).

Not thread-safe: a query reuses the index's scratch buffers. Workers are processes.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

import numpy as np

from matching.engine import rules, scoring
from matching.engine._rows import Encoded, RowIndex
from matching.engine._select import RowScores, Shortlist, pool_size, select
from matching.engine._store import CodeTable, Scratch
from matching.engine._vacancy_layout import (
    COLUMNS,
    DENSE_LANGUAGES,
    DENSE_SHARE,
    DENSE_SKILLS,
    EIGHTHS,
    ELIGIBILITY,
    EMPLOYMENT,
    GROSS,
    HOURLY,
    HOUSING,
    MODES,
    OFFER,
    OPTIONAL,
    POSTINGS,
    REGISTRATION,
    REGULATED,
    TRAVEL,
)
from matching.engine._vacancy_query import Memo, VacancyQuery
from matching.engine.records import (
    ReferenceData,
    SalaryPeriod,
    SeekerFeatures,
    VacancyFeatures,
    Weights,
    WorkMode,
)

Array = np.ndarray[Any, Any]


class SkillPoints(NamedTuple):
    """Per vacancy, what the key's skills part is made of: credit × scale, plus
    ``weights.skills`` where no skill is asked (scale is 0 there; the engine's coverage
    is then 1.0)."""

    scale: Array  # weights.skills / skill denominator, 0.0 where nothing is asked
    eighths: Array  # scale / 8, exact: credit in eighths × this is credit × scale, bit for bit
    unasked: Array  # rows that ask no skill
    max_levels: int  # at least the largest sum of the levels a vacancy asks


class DenseSkills(NamedTuple):
    """The commonest skills' postings of rows [0, base_size) as columns: the level a
    row asks where it asks the skill as required, and as optional (0 where not)."""

    slots: dict[int, int]  # skill → its place in required and optional
    required: list[Array]
    optional: list[Array | None]  # None: no row asks it as optional


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
        self.scratch = Scratch()  # a query's full-length temporaries, reused
        self.memo = Memo()  # a query's small tables that outlive it (see Memo)
        # Bumped when rows move (``compact``): caches of the rows [0, base_size) and of
        # the postings' static part hold until then, since an upsert only appends rows
        # and a removal only clears ``alive``.
        self.generation = 0
        self._dense: tuple[tuple[int, int], DenseSkills] | None = None
        self._occupation_rows: tuple[tuple[int, int], dict[str, tuple[Array, Array]]] = (
            (-1, -1),
            {},
        )
        self._denominators: tuple[tuple[int, float], Array] | None = None
        self._scales: tuple[tuple[int, float, float], SkillPoints] | None = None
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

    def skill_points(self, weights: Weights) -> SkillPoints:
        """How the key's skills part follows from the credit summed per vacancy: credit ×
        scale, plus ``weights.skills`` where no skill is asked (see ``SkillPoints``)."""
        key = (self.version, weights.optional_skill_factor, weights.skills)
        if self._scales is None or self._scales[0] != key:
            den = self.skill_denominators(weights)
            asked = den > 0.0
            with np.errstate(divide="ignore"):
                scale = np.where(asked, weights.skills / den, 0.0)
            required, optional = self.columns["required_levels"], self.columns["optional_levels"]
            points = SkillPoints(
                scale=scale,
                eighths=scale / EIGHTHS,
                unasked=np.flatnonzero(~asked),
                max_levels=int(required.max()) + int(optional.max()) if len(den) else 0,
            )
            self._scales = (key, points)
        return self._scales[1]

    def occupation_rows(self, prefix: str) -> tuple[Array, Array]:
        """(rows, occupation slots) of the rows [0, base_size) whose occupation is in the
        sub-major group ``prefix``: the only rows a seeker's occupation points go to.
        All groups are sorted out in one pass at the first query after a compaction."""
        key = (self.generation, self.base_size)
        if self._occupation_rows[0] != key:
            self._occupation_rows = (key, self._group_occupations())
        empty = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
        return self._occupation_rows[1].get(prefix, empty)

    def _group_occupations(self) -> dict[str, tuple[Array, Array]]:
        slots = self.columns["occupation"][: self.base_size]
        groups = self.occupations_by_prefix()
        prefixes = sorted(groups)
        if not prefixes:  # no vacancy open at all: no group to sort rows into
            return {}
        group_of = np.zeros(max(len(self.occupations), 1), dtype=np.uint16)
        for g, prefix in enumerate(prefixes):
            group_of[groups[prefix]] = g
        by_row = group_of[slots]
        order = np.argsort(by_row, kind="stable").astype(np.int32)  # radix sort: uint16
        ends = np.cumsum(np.bincount(by_row, minlength=len(prefixes))).tolist()
        found: dict[str, tuple[Array, Array]] = {}
        for prefix, lo, hi in zip(prefixes, [0, *ends[:-1]], ends, strict=True):
            rows = order[lo:hi]
            found[prefix] = (rows, slots[rows])
        return found

    def dense_skills(self) -> DenseSkills:
        """The skills kept as columns too (see DENSE_SKILLS), until the next compaction."""
        key = (self.generation, self.base_size)
        if self._dense is None or self._dense[0] != key:
            self._dense = (key, self._make_dense_skills())
        return self._dense[1]

    def _make_dense_skills(self) -> DenseSkills:
        postings, size = self.postings["skills"], self.base_size
        counts = np.diff(postings.ptr)
        keys = list(postings.keys)  # in slot order
        dense = DenseSkills({}, [], [])
        for slot in np.argsort(-counts, kind="stable")[:DENSE_SKILLS].tolist():
            if counts[slot] * DENSE_SHARE < max(size, 1):
                break
            lo, hi = int(postings.ptr[slot]), int(postings.ptr[slot + 1])
            rows, codes = postings.rows[lo:hi], postings.data["code"][lo:hi]
            # A column holds one level 0–5 per row: a skill some row asks twice
            # (required and optional) or above level 5 stays in the postings only.
            if codes.max() >= 2 * OPTIONAL or np.any(rows[1:] == rows[:-1]):
                continue
            optional = codes >= OPTIONAL
            required = np.zeros(size, dtype=np.uint8)
            required[rows[~optional]] = codes[~optional]
            extra: Array | None = None
            if optional.any():
                extra = np.zeros(size, dtype=np.uint8)
                extra[rows[optional]] = codes[optional] - OPTIONAL
            dense.slots[keys[slot]] = len(dense.required)
            dense.required.append(required)
            dense.optional.append(extra)
        return dense

    def _reorder(self, keep: Array) -> None:
        super()._reorder(keep)
        self.generation += 1

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
                + [(s, m + OPTIONAL) for s, m in v.optional_skills.items()],
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
