"""One seeker against the vacancy index: the engine's rules over whole columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.engine import rules
from matching.engine._vacancy_layout import (
    DENSE_LANGUAGES,
    ELIGIBILITY,
    EMPLOYMENT,
    GROSS,
    HELP,
    HOURLY,
    MODES,
    OFFER,
)
from matching.engine.records import (
    Eligibility,
    EmploymentType,
    MobilityScope,
    ReferenceData,
    RemotePreference,
    SeekerFeatures,
    Weights,
    WorkMode,
)

if TYPE_CHECKING:
    from matching.engine.vacancy_index import VacancyIndex

Array = np.ndarray[Any, Any]


class VacancyQuery:
    def __init__(
        self, index: VacancyIndex, seeker: SeekerFeatures, ref: ReferenceData, w: Weights
    ) -> None:
        self.index, self.s, self.ref, self.w = index, seeker, ref, w
        self.cols = index.columns
        self.n = index.columns.size
        self.home = index.countries.get(seeker.country)
        self.access = np.zeros(self.n, dtype=np.bool_)
        found = index.postings["remote"].get(seeker.country)
        if found is not None:
            self.access[found[0]] = True
        self.skills = self._skills()
        self.occupation = self._occupation_table()
        self.rare_languages = [
            code
            for code in [*index.postings["languages"].keys, *index.postings["languages"].delta]
            if code not in DENSE_LANGUAGES
        ]

    def _countries(self, codes: Iterable[str]) -> list[int]:
        table = self.index.countries
        return [i for c in sorted(codes) if (i := table.get(c)) is not None]

    def _isin(self, column: Array, values: list[int]) -> Array:
        found = np.zeros(self.n, dtype=np.bool_)
        for value in values:
            found |= column == value
        return found

    # --- hard filters ---------------------------------------------------------------

    def eligible(self) -> Array:
        c, s, ref = self.cols, self.s, self.ref
        country, place = c["country"], c["place"]
        codes = self.index.places.codes
        stay = self._isin(place, [p for p, (_c, r) in enumerate(codes) if r == s.region])
        scope = s.mobility_scope
        home = [self.home] if self.home is not None else []
        if scope == MobilityScope.REGION:
            within = stay
        elif scope == MobilityScope.COUNTRY:
            within = stay | self._isin(country, home)
        elif scope == MobilityScope.LISTED:
            listed = [p for p, (_c, r) in enumerate(codes) if r in s.mobility_regions]
            within = (
                stay
                | self._isin(country, self._countries(s.mobility_countries))
                | self._isin(place, listed)
            )
        elif scope == MobilityScope.EAEU:
            within = stay | self._isin(country, home + self._countries(ref.eaeu_members))
        else:
            within = np.ones(self.n, dtype=np.bool_)
        ok = within | self.access
        pref = s.remote_preference
        if pref == RemotePreference.REMOTE_ONLY:
            ok &= self.access
        elif pref == RemotePreference.ON_SITE:
            ok &= c["mode"] != MODES.index(WorkMode.REMOTE)
        if not s.accepts_rotational:
            ok &= c["employment"] != EMPLOYMENT.index(EmploymentType.ROTATIONAL)
        ok &= c["alive"]
        ok &= self._work_right()
        hard, strict = c["hard_languages"], self.index.hard_language_bits()
        for bit, code in enumerate(DENSE_LANGUAGES):
            held = s.languages.get(code, 0)
            if strict & (1 << bit) and held < 7:
                ok &= ((hard & (1 << bit)) == 0) | (c[f"lang.{code}"] <= held)
        for code in self.rare_languages:
            found = self.index.postings["languages"].get(code)
            if found is not None:
                rows, level, must = found
                ok[rows[(must != 0) & (level > s.languages.get(code, 0))]] = False
        return ok

    def _work_right(self) -> Array:
        c, s, ref = self.cols, self.s, self.ref
        country = c["country"]
        right = self._isin(country, self._countries(s.citizenships))
        if not s.citizenships.isdisjoint(ref.eaeu_members):
            right |= self._isin(country, self._countries(ref.eaeu_members))
        if s.work_rights:
            as_of = ref.as_of.toordinal()
            start = c["start"]
            day = np.maximum(np.where(start == 0, as_of, start), as_of)
            for code, until in s.work_rights.items():
                i = self.index.countries.get(code)
                if i is None:
                    continue
                valid = True if until is None else until.toordinal() >= day
                right |= (country == i) & valid
        kind = c["eligibility"]
        right |= kind == ELIGIBILITY.index(Eligibility.ANYONE)
        local = kind == ELIGIBILITY.index(Eligibility.LOCAL)
        lives = country == (self.home if self.home is not None else -1)
        right &= ~local | lives
        return right

    # --- the cheap components of every vacancy ---------------------------------------

    def _skills(self) -> Array:
        """The numerator of the engine's skill coverage of every vacancy."""
        s, w, ref = self.s, self.w, self.ref
        postings = self.index.postings["skills"]
        held: dict[int, int] = {skill: h.level for skill, h in s.skills.items()}
        near: dict[int, int] = {}  # skill asked → best level of a related skill held
        for skill, level in held.items():
            for other in ref.related_skills(skill):
                near[other] = max(near.get(other, 0), level)
        wanted = sorted(set(held) | set(near))
        found = [(j, f) for j, skill in enumerate(wanted) if (f := postings.get(skill))]
        if found:
            # The engine's credit for every skill and level that might be asked:
            # max(min(held, asked), related × min(near, asked)), and × optional factor.
            asked = np.arange(6, dtype=np.float64)
            direct = np.array([held.get(skill, 0) for skill in wanted], dtype=np.float64)
            related = np.array([near.get(skill, 0) for skill in wanted], dtype=np.float64)
            credit = np.maximum(
                np.minimum(direct[:, None], asked),
                w.related_skill_factor * np.minimum(related[:, None], asked),
            )
            table = np.concatenate((credit, w.optional_skill_factor * credit), axis=1).ravel()
            rows = np.concatenate([f[0] for _, f in found])
            first = np.repeat(
                np.array([j * 12 for j, _ in found], dtype=np.intp), [len(f[0]) for _, f in found]
            )
            slot = first + np.concatenate([f[1] for _, f in found])
            num: Array = np.bincount(rows, weights=table[slot], minlength=self.n)
        else:
            num = np.zeros(self.n)
        return num

    def _occupation_table(self) -> Array:
        codes = self.index.occupations.codes
        table = np.zeros(max(len(codes), 1))
        groups = self.index.occupations_by_prefix()
        for prefix in {code[:2] for code in self.s.desired_occupations}:
            for i in groups.get(prefix, ()):
                table[i] = rules.occupation_value(self.s.desired_occupations, codes[i], self.w)
        return table

    def key(self) -> Array:
        w = self.w
        scale, base = self.index.skill_points(w)
        key: Array = self.skills * scale
        key += base
        postings = self.index.postings["occupations"]
        codes = self.index.occupations.codes
        groups = self.index.occupations_by_prefix()
        for prefix in {code[:2] for code in self.s.desired_occupations}:
            for i in groups.get(prefix, ()):
                found = postings.get(codes[i])
                if found is not None and self.occupation[i] > 0.0:
                    key[found[0]] += w.occupation * self.occupation[i]
        return key

    def rest(self) -> float:
        """At most what the other components add to any vacancy."""
        w = self.w
        return w.location + w.languages + w.salary + w.experience + w.employment + w.availability

    # --- the engine's formula, term by term in the engine's order, for some rows --------

    def evaluate(self, rows: Array) -> Array:
        c, s, w, ref = self.cols, self.s, self.w, self.ref
        den = self.index.skill_denominators(w)[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            skills = np.where(den > 0.0, self.skills[rows] / den, 1.0)
        occupation = self.occupation[c["occupation"][rows]]
        access = self.access[rows]
        location = self._location(rows, access)
        languages = self._languages(rows)
        salary = self._salary(rows, access)
        minimum = c["experience"][rows].astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(
                minimum <= 0, 1.0, np.minimum(s.experience_years, minimum) / minimum
            )
        wanted = np.array([not s.employment_types or t in s.employment_types for t in EMPLOYMENT])
        employment = wanted[c["employment"][rows]].astype(np.float64)
        as_of = ref.as_of.toordinal()
        start = c["start"][rows].astype(np.int64)
        start = np.maximum(np.where(start == 0, as_of, start), as_of)
        ready = max((s.available_from or ref.as_of).toordinal(), as_of)
        late = ready - start
        availability = np.where(
            late <= 0, 1.0, np.maximum(0.0, 1.0 - late / w.availability_grace_days)
        )
        values = (
            skills,
            occupation,
            location,
            languages,
            salary,
            experience,
            employment,
            availability,
        )
        raw = np.zeros(len(rows))
        for weight, value in zip(w.component_weights(), values, strict=True):
            raw = raw + weight * value
        return raw

    def _location(self, rows: Array, access: Array) -> Array:
        """``scoring.place_location`` for each vacancy's place, the same operations."""
        s, w = self.s, self.w
        codes = self.index.places.codes
        distance = np.array(self.index.distances.row(self.ref, s.region, [r for _c, r in codes]))
        same = np.array([country == s.country for country, _r in codes])
        known = ~np.isnan(distance)
        unknown = np.where(same, w.unknown_distance_same_country, w.unknown_distance_abroad)
        with np.errstate(invalid="ignore"):
            near_by_place = np.where(known, 1.0 / (1.0 + distance / w.distance_half_km), unknown)
            move_by_place = ~known | (distance > w.commute_km)
        bits = range(8)
        help_share = np.array(
            [rules.relocation_help_share(b & 1 != 0, b & 2 != 0, b & 4 != 0) for b in bits]
        )[self.cols["flags"][rows] & HELP]
        places = self.cols["place"][rows]
        near, move = near_by_place[places], move_by_place[places]
        value = np.where(move, near + (1.0 - near) * w.relocation_credit * help_share, near)
        return np.where(access, 1.0, value)

    def _languages(self, rows: Array) -> Array:
        c, s = self.cols, self.s
        num = np.zeros(len(rows), dtype=np.int64)
        for code in DENSE_LANGUAGES:
            asked = c[f"lang.{code}"][rows]
            num += np.minimum(asked, s.languages.get(code, 0))
        for code in self.rare_languages:
            found = self.index.postings["languages"].get(code)
            if found is not None:
                extra = np.zeros(self.n, dtype=np.int64)
                extra[found[0]] = np.minimum(found[1], s.languages.get(code, 0))
                num += extra[rows]
        den = c["language_levels"][rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, num / den, 1.0)

    def _salary(self, rows: Array, access: Array) -> Array:
        c, s, w, ref = self.cols, self.s, self.w, self.ref
        wish = s.salary
        if wish is None:
            return np.ones(len(rows))
        expectation = rules.monthly_usd(
            wish.amount,
            currency=wish.currency,
            period=wish.period,
            gross=wish.gross,
            ref=ref,
            weights=w,
        )
        flags = c["flags"][rows]
        if expectation is None:
            return np.full(len(rows), w.salary_unknown)
        rates = np.array(
            [ref.units_per_usd.get(code, np.nan) for code in self.index.currencies.codes]
            or [np.nan]
        )
        countries = c["country"][rows]
        home = np.ones(len(self.index.countries))
        work = np.ones(len(self.index.countries))
        for i in np.unique(countries).tolist():
            home[i], work[i] = rules.price_levels(s.country, self.index.countries.codes[i], ref, w)
        at_home = rules.price_levels(s.country, s.country, ref, w)
        home_level = np.where(access, at_home[0], home[countries])
        work_level = np.where(access, at_home[1], work[countries])
        hours = np.where((flags & HOURLY) != 0, rules.HOURS_PER_MONTH, 1.0)
        gross_up = np.where((flags & GROSS) != 0, 1.0, w.net_share)
        rate = rates[c["currency"][rows]]
        offered = c["offer"][rows] * hours / gross_up / rate * work_level
        wished = expectation * home_level
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = offered / wished
            value = np.where(
                wished <= 0.0,
                1.0,
                np.where(ratio >= 1.0, 1.0, np.maximum(0.0, 1.0 - w.salary_slope * (1.0 - ratio))),
            )
        return np.where(((flags & OFFER) == 0) | np.isnan(rate), w.salary_unknown, value)
