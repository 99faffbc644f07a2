"""One vacancy against the seeker index: the engine's rules over whole columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from matching.engine import rules, scoring
from matching.engine._seeker_layout import (
    DENSE_LANGUAGES,
    EIGHTHS,
    EMPLOYMENT,
    FLAG_GROSS,
    FLAG_HOURLY,
    FLAG_ROTATIONAL,
    FLAG_SALARY,
    PREFERENCES,
    SCOPES,
)
from matching.engine._store import Postings
from matching.engine.records import (
    Eligibility,
    EmploymentType,
    MobilityScope,
    ReferenceData,
    RemotePreference,
    VacancyFeatures,
    Weights,
    WorkMode,
)

if TYPE_CHECKING:
    from matching.engine.seeker_index import SeekerIndex

Array = np.ndarray[Any, Any]


class SeekerQuery:
    """One vacancy against the index: its tables, built once."""

    def __init__(
        self, index: SeekerIndex, vacancy: VacancyFeatures, ref: ReferenceData, w: Weights
    ) -> None:
        self.index, self.v, self.ref, self.w = index, vacancy, ref, w
        self.cols = index.columns
        self.n = index.columns.size
        self.buffers = index.scratch.sized(self.n)
        self.vi = index.countries.get(vacancy.country)
        remote = vacancy.work_mode == WorkMode.REMOTE
        self.remote_countries = (vacancy.remote_countries or {vacancy.country}) if remote else set()
        self.den = scoring.skill_denominator(vacancy, w)
        self.skill_num = self._skill_numerators()
        self.occupation = self._occupation_values()

    # --- hard filters: the engine's rules over whole columns ---------------------------

    def eligible(self) -> Array:
        c, v, ref, index, b = self.cols, self.v, self.ref, self.index, self.buffers
        country, place, scope, pref = c["country"], c["place"], c["scope"], c["preference"]
        ok, tmp, here = b.bools("ok"), b.bools("tmp"), b.bools("here")
        ok.fill(False)
        if self.vi is None:
            here.fill(False)
        else:
            np.equal(country, self.vi, out=here)
        # Staying in one's own region is always within scope.
        for p, (_country, region) in enumerate(index.places.codes):
            if region == v.region:
                np.logical_or(ok, np.equal(place, p, out=tmp), out=ok)
        np.equal(scope, SCOPES.index(MobilityScope.COUNTRY), out=tmp)
        np.logical_or(ok, np.logical_and(tmp, here, out=tmp), out=ok)
        np.equal(scope, SCOPES.index(MobilityScope.EAEU), out=tmp)
        if v.country not in ref.eaeu_members:
            np.logical_and(tmp, here, out=tmp)
        np.logical_or(ok, tmp, out=ok)
        np.logical_or(ok, np.equal(scope, SCOPES.index(MobilityScope.ANYWHERE), out=tmp), out=ok)
        for name, key in (("listed_countries", v.country), ("listed_regions", v.region)):
            found = index.postings[name].get(key)
            if found is not None:
                ok[found[0]] = True
        remote_only = PREFERENCES.index(RemotePreference.REMOTE_ONLY)
        if v.work_mode == WorkMode.REMOTE:
            access = b.bools("access")
            access.fill(False)
            for code in self.remote_countries:
                i = index.countries.get(code)
                if i is not None:
                    np.logical_or(access, np.equal(country, i, out=tmp), out=access)
            np.logical_or(ok, access, out=ok)
            on_site = PREFERENCES.index(RemotePreference.ON_SITE)
            np.logical_and(ok, np.not_equal(pref, on_site, out=tmp), out=ok)
            np.logical_or(np.not_equal(pref, remote_only, out=tmp), access, out=tmp)
            np.logical_and(ok, tmp, out=ok)
        else:
            np.logical_and(ok, np.not_equal(pref, remote_only, out=tmp), out=ok)
        if v.employment_type == EmploymentType.ROTATIONAL:
            rotational = np.bitwise_and(c["flags"], FLAG_ROTATIONAL, out=b.u8("flag"))
            np.logical_and(ok, rotational, out=ok)
        np.logical_and(ok, c["alive"], out=ok)
        if v.eligibility != Eligibility.ANYONE:
            np.logical_and(ok, self._work_right(here), out=ok)
        for code, requirement in v.languages.items():
            if requirement.hard:
                rank = self._language_rank(code)
                np.logical_and(ok, np.greater_equal(rank, requirement.min_rank, out=tmp), out=ok)
        return ok

    def _work_right(self, here: Array) -> Array:
        v, ref, index = self.v, self.ref, self.index
        right = self._citizens_of([v.country], self.buffers.bools("right"))
        if v.country in ref.eaeu_members:
            treaty = self._citizens_of(sorted(ref.eaeu_members), self.buffers.bools("treaty"))
            np.logical_or(right, treaty, out=right)
        permits = index.postings["permits"].get(v.country)
        if permits is not None:
            rows, until = permits
            day = scoring.permit_check_day(v, ref)
            right[rows[(until == 0) | (until >= day)]] = True
        if v.eligibility == Eligibility.LOCAL:
            np.logical_and(right, here, out=right)
        return right

    def _citizens_of(self, countries: list[str], found: Array) -> Array:
        bits = 0
        foreign: list[Array] = []
        for code in countries:
            bit = self.index.citizenship_bits.get(code)
            if bit is not None:
                bits |= 1 << bit
            else:
                holders = self.index.postings["foreign"].get(code)
                if holders is not None:
                    foreign.append(holders[0])
        if bits:
            np.bitwise_and(self.cols["citizenship"], bits, out=self.buffers.u8("bits"))
            np.not_equal(self.buffers.u8("bits"), 0, out=found)
        else:
            found.fill(False)
        for rows in foreign:
            found[rows] = True
        return found

    def _language_rank(self, code: str, rows: Array | None = None) -> Array:
        if code in DENSE_LANGUAGES:
            column = self.cols[f"lang.{code}"]
            return column if rows is None else column[rows]
        ranks = np.zeros(self.n, dtype=np.uint8)
        found = self.index.postings["languages"].get(code)
        if found is not None:
            ranks[found[0]] = found[1]
        return ranks if rows is None else ranks[rows]

    # --- the cheap components of every row -----------------------------------------

    def _skill_numerators(self) -> tuple[Array, float] | None:
        """The numerator of the engine's skill coverage for every row, in 1/scale units."""
        if self.den <= 0.0:
            return None
        v, w, ref, b = self.v, self.w, self.ref, self.buffers
        asked = [(s, m, 1.0) for s, m in sorted(v.required_skills.items())] + [
            (s, m, w.optional_skill_factor) for s, m in sorted(v.optional_skills.items())
        ]
        # Every credit factor a row can get — each factor and their product (a related
        # skill of an optional one) — must be whole eighths for the integer sum.
        factors = (
            w.related_skill_factor,
            w.optional_skill_factor,
            w.related_skill_factor * w.optional_skill_factor,
        )
        exact = all(0.0 <= f <= 1.0 and (f * EIGHTHS).is_integer() for f in factors)
        exact = exact and len(asked) * 5 * EIGHTHS < 2**16
        if exact:
            acc = b.array("acc", np.uint16)
            acc.fill(0)
        else:
            acc = np.zeros(self.n)
        postings = self.index.postings["skills"]
        for skill, level, factor in asked:
            sources = [(skill, 1.0)]
            sources += [(r, w.related_skill_factor) for r in ref.related_skills(skill)]
            best: Array | None = None
            sparse: list[tuple[Array, Array]] = []
            for other, related in sources:
                column = self.index.skill_column(other)
                if column is not None:
                    if exact:
                        units = round(factor * related * EIGHTHS)
                        credit = np.minimum(column, b.filled(level), out=b.u8("credit"))
                        np.multiply(credit, units, out=credit)
                    else:
                        credit = _float_credit(column, level, related, factor)
                    if best is None:
                        best = b.u8("best") if exact else np.zeros(self.n)
                        best[:] = credit
                    else:
                        np.maximum(best, credit, out=best)
                found = postings.get(other)
                if found is not None:
                    rows, levels = found
                    if exact:
                        units = round(factor * related * EIGHTHS)
                        credit = np.minimum(levels, level) * np.uint8(units)
                    else:
                        credit = _float_credit(levels, level, related, factor)
                    sparse.append((rows, credit))
            if best is None and len(sparse) == 1:
                rows, credit = sparse[0]
                acc[rows] += credit  # rows are distinct within one postings list
                continue
            if best is None:
                if not sparse:
                    continue
                best = b.u8("best") if exact else np.zeros(self.n)
                best.fill(0)
            # The best of the direct and the related credits, per row.
            for rows, credit in sparse:
                best[rows] = np.maximum(best[rows], credit)
            np.add(acc, best, out=acc)
        return acc, (float(EIGHTHS) if exact else 1.0)

    def _occupation_values(self) -> tuple[Array, Array, Array] | None:
        """(per-row points as float32, per-row slot into values, values) for the desired
        occupations that share a group with the vacancy's; slot 0 means none."""
        occupations = self.index.postings["occupations"]
        target = self.v.occupation
        found: list[tuple[float, Array]] = []
        for code in _same_sub_major(occupations, target):
            value = rules.occupation_similarity(code, target, self.w)
            holders = occupations.get(code)
            if value > 0.0 and holders is not None:
                found.append((value, holders[0]))
        if not found:
            return None
        values = sorted({value for value, _ in found})
        slots = self.buffers.u8("occupation")
        points = self.buffers.array("occupation points", np.float32)
        slots.fill(0)
        points.fill(0.0)
        # Ascending, so a seeker with several desired occupations keeps the best.
        for value, rows in sorted(found, key=lambda f: f[0]):
            slots[rows] = values.index(value) + 1
            points[rows] = self.w.occupation * value
        return points, slots, np.array([0.0, *values])

    def key(self) -> Array:
        """Skills and occupation points of every row (float32: a bound for pruning,
        never a score)."""
        w = self.w
        key = self.buffers.array("key", np.float32)
        if self.skill_num is None:
            key.fill(w.skills)
        else:
            acc, scale = self.skill_num
            np.copyto(key, acc, casting="unsafe")
            np.multiply(key, np.float32(w.skills / (self.den * scale)), out=key)
        if self.occupation is not None:
            np.add(key, self.occupation[0], out=key)
        return key

    def rest(self) -> float:
        """At most what the other components add to any row."""
        w = self.w
        return w.location + w.languages + w.salary + w.experience + w.employment + w.availability

    # --- the engine's formula, term by term in the engine's order, for some rows --------

    def evaluate(self, rows: Array) -> Array:
        c, v, w = self.cols, self.v, self.w
        if self.skill_num is None:
            skills = np.ones(len(rows))
        else:
            acc, scale = self.skill_num
            skills = acc[rows] / scale / self.den
        if self.occupation is None:
            occupation = np.zeros(len(rows))
        else:
            _points, slots, values = self.occupation
            occupation = values[slots[rows]]
        countries = c["country"][rows]
        location = self._location(c["place"][rows])
        languages = self._languages(rows)
        salary = self._salary(rows, countries)
        minimum = v.min_experience_years
        if minimum <= 0:
            experience = np.ones(len(rows))
        else:
            experience = np.minimum(c["experience"][rows], minimum) / minimum
        wanted = c["employment"][rows]
        bit = 1 << EMPLOYMENT.index(v.employment_type)
        employment = ((wanted == 0) | ((wanted & bit) != 0)).astype(np.float64)
        as_of = self.ref.as_of.toordinal()
        start = max((v.start_date or self.ref.as_of).toordinal(), as_of)
        ready = np.maximum(c["available"][rows].astype(np.int64), as_of)
        late = ready - start
        availability = np.where(
            late <= 0, 1.0, np.maximum(0.0, 1.0 - late / w.availability_grace_days)
        )
        components = (
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
        for weight, value in zip(w.component_weights(), components, strict=True):
            raw = raw + weight * value
        return raw

    def _location(self, places: Array) -> Array:
        """``scoring.place_location`` for every place at once, the same operations."""
        v, w = self.v, self.w
        codes = self.index.places.codes
        distance = np.array(
            self.index.distances.row(self.ref, v.region, [r or None for _c, r in codes])
        )
        same = np.array([country == v.country for country, _r in codes])
        remote = np.array([country in self.remote_countries for country, _r in codes])
        known = ~np.isnan(distance)
        unknown = np.where(same, w.unknown_distance_same_country, w.unknown_distance_abroad)
        with np.errstate(invalid="ignore"):
            near = np.where(known, 1.0 / (1.0 + distance / w.distance_half_km), unknown)
            must_move = ~known | (distance > w.commute_km)
        share = rules.relocation_help_share(
            v.relocation_travel, v.relocation_housing, v.relocation_registration
        )
        moved = near + (1.0 - near) * w.relocation_credit * share
        value = np.where(remote, 1.0, np.where(must_move, moved, near))
        return value[places]

    def _languages(self, rows: Array) -> Array:
        asked = sorted(self.v.languages.items())
        if not asked:
            return np.ones(len(rows))
        num = np.zeros(len(rows), dtype=np.int64)
        den = 0
        for code, requirement in asked:
            num += np.minimum(self._language_rank(code, rows), requirement.min_rank)
            den += requirement.min_rank
        return num / den

    def _salary(self, rows: Array, countries: Array) -> Array:
        c, v, ref, w = self.cols, self.v, self.ref, self.w
        flags = c["flags"][rows]
        has = (flags & FLAG_SALARY) != 0
        amount = scoring.offer_amount(v)
        offer = None
        if amount is not None and v.salary_currency is not None:
            offer = rules.monthly_usd(
                amount,
                currency=v.salary_currency,
                period=v.salary_period,
                gross=v.salary_gross,
                ref=ref,
                weights=w,
            )
        if offer is None:
            return np.where(has, w.salary_unknown, 1.0)
        rates = np.array(
            [ref.units_per_usd.get(code, np.nan) for code in self.index.currencies.codes]
            or [np.nan]
        )
        home = np.ones(len(self.index.countries))
        work = np.ones(len(self.index.countries))
        for i in np.unique(countries).tolist():
            code = self.index.countries.codes[i]
            at = code if code in self.remote_countries else v.country
            home[i], work[i] = rules.price_levels(code, at, ref, w)
        hours = np.where((flags & FLAG_HOURLY) != 0, rules.HOURS_PER_MONTH, 1.0)
        gross_up = np.where((flags & FLAG_GROSS) != 0, 1.0, w.net_share)
        rate = rates[c["currency"][rows]]
        expectation = c["salary"][rows] * hours / gross_up / rate * home[countries]
        offered = offer * work[countries]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = offered / expectation
            value = np.where(
                expectation <= 0.0,
                1.0,
                np.where(ratio >= 1.0, 1.0, np.maximum(0.0, 1.0 - w.salary_slope * (1.0 - ratio))),
            )
        value = np.where(np.isnan(rate), w.salary_unknown, value)
        return np.where(has, value, 1.0)


def _float_credit(levels: Array, asked: int, related: float, factor: float) -> Array:
    """factor × (related × min(level, asked)) in float64, in the engine's order."""
    credit = np.minimum(levels, asked).astype(np.float64)
    if related != 1.0:
        credit = related * credit
    if factor != 1.0:
        credit = factor * credit
    return credit


def _same_sub_major(occupations: Postings, target: str) -> list[str]:
    prefix = target[:2]
    keys = list(occupations.keys) + [k for k in occupations.delta if k not in occupations.keys]
    return sorted(code for code in keys if isinstance(code, str) and code[:2] == prefix)
