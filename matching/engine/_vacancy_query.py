"""One seeker against the vacancy index: the engine's rules over whole columns.

Where the time goes, and so how this is written. A query makes a few passes over the
columns of every vacancy (the hard filters, the key) and sums the seeker's credit for
the skills every vacancy asks (at 100,000 vacancies, some fifty postings lists and
~100,000 entries, most of them in a handful of very common skills); the rest is per
row of the few hundred ``evaluate`` is asked about, where the cost is the number of
NumPy calls rather than their size. So:

- the full passes write into the index's scratch buffers, never into fresh arrays, and
  compare the narrow columns (uint8 countries) rather than gather through a table
  (NumPy turns every index array into intp first); a filter that holds for every
  country in the index (the EAEU scope, a member's citizen) is no pass at all;
- skill credits are summed as integer eighths in uint16 when the factors allow it
  (the defaults do), which makes the order of the sum free: the commonest skills then
  come from columns of the level asked (``VacancyIndex.dense_skills``, a few uint8
  passes each), the others from their postings, sliced straight from the CSR arrays;
- the occupation points go to the rows of the seeker's occupation groups only, found
  once per compaction (``VacancyIndex.occupation_rows``);
- whatever depends only on the reference data, the weights and the seeker's country or
  region (places, price levels, rates) is a small table kept across queries (``Memo``).

Every value ``evaluate`` returns is the same IEEE double as before these shortcuts (and
so within the engine's own rounding of it, see ``rules``): tables hold what the per-row
formulas would compute, integer eighths are exact, and the float path keeps its order.

Not thread-safe: a query writes into its index's scratch buffers and memo (as the seeker
index does). A worker process holds one index and answers one query at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import numpy as np

from matching.engine import rules
from matching.engine._store import Key, Postings
from matching.engine._vacancy_layout import (
    DENSE_LANGUAGES,
    EIGHTHS,
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
T = TypeVar("T")

REMOTE = MODES.index(WorkMode.REMOTE)
ROTATIONAL = EMPLOYMENT.index(EmploymentType.ROTATIONAL)
ANYONE = ELIGIBILITY.index(Eligibility.ANYONE)
LOCAL = ELIGIBILITY.index(Eligibility.LOCAL)
# Per flags byte: hours a month an amount is for, what turns it into gross pay, and
# whether the vacancy names an offer at all (the same numbers as the engine's).
_FLAGS = np.arange(256)
HOURS = np.where((_FLAGS & HOURLY) != 0, rules.HOURS_PER_MONTH, 1.0)
GROSS_PAY = (_FLAGS & GROSS) != 0
NO_OFFER = (_FLAGS & OFFER) == 0


class Memo:
    """Small tables that depend only on the reference data, the weights and a seeker's
    country, region or desired occupations, kept across queries: while the reference
    data is the same object (frozen, its mappings read-only; a worker keeps one a day)
    and the weights are equal. Each entry remembers the size of the code table it was
    made from and is made again when that grew (code tables only ever grow)."""

    LIMIT = 4096  # entries, then start afresh: a bound, not a policy

    def __init__(self) -> None:
        self.ref: ReferenceData | None = None
        self.weights: Weights | None = None
        self.entries: dict[Hashable, tuple[int, Any]] = {}

    def use(self, ref: ReferenceData, weights: Weights) -> None:
        if self.ref is not ref or self.weights != weights or len(self.entries) > self.LIMIT:
            self.ref, self.weights, self.entries = ref, weights, {}

    def get(self, key: Hashable, size: int, make: Callable[[], T]) -> T:
        found = self.entries.get(key)
        if found is None or found[0] != size:
            found = self.entries[key] = (size, make())
        value: T = found[1]
        return value


class _Salary(NamedTuple):
    expectation: float  # monthly USD wished
    rates: Array  # by currency slot, NaN where unknown
    home: Array  # by country slot: price level at home, moving to work there
    work: Array  # by country slot: price level where the work is
    at_home: tuple[float, float]  # (home, work) levels for remote work from home
    gross_up: Array  # by flags: 1.0 for a gross amount, the net share for a net one


class VacancyQuery:
    def __init__(
        self, index: VacancyIndex, seeker: SeekerFeatures, ref: ReferenceData, w: Weights
    ) -> None:
        self.index, self.s, self.ref, self.w = index, seeker, ref, w
        self.cols = index.columns
        self.n = index.columns.size
        self.buffers = index.scratch.sized(self.n)
        self.memo = index.memo
        self.memo.use(ref, w)
        self.home = index.countries.get(seeker.country)
        self.access = self.buffers.bools("access")
        self.access.fill(False)
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
        self._rare: Array | None = None

    def _countries(self, codes: Iterable[str]) -> list[int]:
        table = self.index.countries
        return [i for c in sorted(codes) if (i := table.get(c)) is not None]

    def _any_equal(self, out: Array, column: Array, values: Iterable[int]) -> Array:
        """out |= (column == v) for each v: in place, one comparison per value."""
        tmp = self.buffers.bools("equal")
        for value in values:
            np.logical_or(out, np.equal(column, value, out=tmp), out=out)
        return out

    def _in_countries(self, countries: Iterable[int], out: Array) -> bool | Array:
        """Is each row's country one of these? True (or False) when it holds for every
        country in the index, and so every row: no pass over the column then. Else
        ``out``, by comparing with the countries or with the rest, whichever are fewer."""
        chosen, present = set(countries), len(self.index.countries)
        if len(chosen) >= present:  # slots of the table: all of them
            return True
        if not chosen:
            return False
        country = self.cols["country"]
        if len(chosen) * 2 <= present:
            out.fill(False)
            return self._any_equal(out, country, sorted(chosen))
        out.fill(True)
        tmp = self.buffers.bools("equal")
        for value in sorted(set(range(present)) - chosen):
            np.logical_and(out, np.not_equal(country, value, out=tmp), out=out)
        return out

    # --- hard filters ---------------------------------------------------------------

    def eligible(self) -> Array:
        c, s, ref, b = self.cols, self.s, self.ref, self.buffers
        ok, tmp = b.bools("ok"), b.bools("tmp")
        scope = s.mobility_scope
        home = [self.home] if self.home is not None else []
        within: bool | Array = True
        if scope != MobilityScope.ANYWHERE:
            if scope == MobilityScope.COUNTRY:
                countries = home
            elif scope == MobilityScope.LISTED:
                countries = self._countries(s.mobility_countries)
            elif scope == MobilityScope.EAEU:
                countries = home + self._countries(ref.eaeu_members)
            else:
                countries = []
            within = self._in_countries(countries, ok)
            if within is not True:
                if within is False:
                    ok.fill(False)
                # Staying in one's own region is always within scope, and so is going
                # to a region the seeker listed.
                regions = {s.region}
                if scope == MobilityScope.LISTED:
                    regions |= s.mobility_regions
                places = [p for p, (_c, r) in enumerate(self.index.places.codes) if r in regions]
                within = self._any_equal(ok, c["place"], places)
        if within is True:
            ok.fill(True)
        else:
            np.logical_or(ok, self.access, out=ok)
        pref = s.remote_preference
        if pref == RemotePreference.REMOTE_ONLY:
            np.logical_and(ok, self.access, out=ok)
        elif pref == RemotePreference.ON_SITE:
            np.logical_and(ok, np.not_equal(c["mode"], REMOTE, out=tmp), out=ok)
        if not s.accepts_rotational:
            np.logical_and(ok, np.not_equal(c["employment"], ROTATIONAL, out=tmp), out=ok)
        np.logical_and(ok, c["alive"], out=ok)
        np.logical_and(ok, self._work_right(), out=ok)
        hard, strict = c["hard_languages"], self.index.hard_language_bits()
        for bit, code in enumerate(DENSE_LANGUAGES):
            held = s.languages.get(code, 0)
            if strict & (1 << bit) and held < 7:
                # ok &= (hard & bit == 0) | (level asked <= held)
                flag = np.bitwise_and(hard, 1 << bit, out=b.u8("bit"))
                np.equal(flag, 0, out=tmp)
                met = np.less_equal(c[f"lang.{code}"], held, out=b.bools("met"))
                np.logical_and(ok, np.logical_or(tmp, met, out=tmp), out=ok)
        for code in self.rare_languages:
            found = self.index.postings["languages"].get(code)
            if found is not None:
                rows, level, must = found
                ok[rows[(must != 0) & (level > s.languages.get(code, 0))]] = False
        return ok

    def _work_right(self) -> Array:
        c, s, ref, b = self.cols, self.s, self.ref, self.buffers
        country, kind = c["country"], c["eligibility"]
        right, tmp = b.bools("right"), b.bools("tmp right")
        citizen = self._countries(s.citizenships)
        if not s.citizenships.isdisjoint(ref.eaeu_members):
            citizen += self._countries(ref.eaeu_members)
        found = self._in_countries(citizen, right)
        if found is not True:
            if found is False:
                right.fill(False)
            as_of = ref.as_of.toordinal()
            start = c["start"]
            for code, until in s.work_rights.items():
                i = self.index.countries.get(code)
                if i is None:
                    continue
                if until is None:
                    self._any_equal(right, country, [i])
                    continue
                # until ≥ max(start or as_of, as_of): nowhere if it ended before as_of,
                # else where the work starts by then (start 0, "not said", always does).
                last = until.toordinal()
                if last < as_of:
                    continue
                np.less_equal(start, last, out=tmp)
                np.logical_and(tmp, np.equal(country, i, out=b.bools("equal")), out=tmp)
                np.logical_or(right, tmp, out=right)
            np.logical_or(right, np.equal(kind, ANYONE, out=tmp), out=right)
        # right &= ~local | lives, i.e. (kind != LOCAL) | (country == home)
        np.not_equal(kind, LOCAL, out=tmp)
        if self.home is not None:
            np.logical_or(tmp, np.equal(country, self.home, out=b.bools("equal")), out=tmp)
        if found is True:
            return tmp
        np.logical_and(right, tmp, out=right)
        return right

    # --- the cheap components of every vacancy ---------------------------------------

    def _skills(self) -> tuple[Array, float]:
        """(numerator of the engine's skill coverage of every vacancy × unit, unit):
        uint16 eighths and 8.0 when every credit is a whole number of eighths (exact in
        any order, and a quarter of the bytes of float64), else float64 and 1.0."""
        s, w, ref = self.s, self.w, self.ref
        postings = self.index.postings["skills"]
        held: dict[int, int] = {skill: h.level for skill, h in s.skills.items()}
        near: dict[int, int] = {}  # skill asked → best level of a related skill held
        for skill, level in held.items():
            for other in ref.related_skills(skill):
                near[other] = max(near.get(other, 0), level)
        wanted = sorted(set(held) | set(near))
        exact = self._exact(held.values())
        # Exact sums may come in any order: the common skills from their columns, the
        # rest (and rows appended since the columns were made) from the postings.
        dense = self.index.dense_skills() if exact else None
        columns = [] if dense is None else [skill for skill in wanted if skill in dense.slots]
        found = _postings_of(postings, wanted, delta_only=columns)
        if not found and not columns:
            return np.zeros(self.n), 1.0
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
        # Each entry's row (intp: what scatters index with anyway) and slot in the table:
        # 12 × (the skill's place in wanted) + its code (uint16 when it fits).
        rows = np.zeros(0, dtype=np.intp)
        if found:
            rows = np.concatenate([f[0] for _, f in found], dtype=np.intp)
        wide = len(table) > np.iinfo(np.uint16).max
        slot = np.repeat(
            np.array([j * 12 for j, _ in found], dtype=np.intp if wide else np.uint16),
            [len(f[0]) for _, f in found],
        )
        if found:
            slot += np.concatenate([f[1] for _, f in found])
        if dense is not None:
            acc = self.buffers.array("skill units", np.uint16)
            acc.fill(0)
            units = (table * EIGHTHS).astype(np.uint16)
            np.add.at(acc, rows, units.take(slot))
            for skill in columns:
                column = dense.slots[skill]
                levels = (dense.required[column], dense.optional[column])
                self._add_columns(acc, levels, held.get(skill, 0), near.get(skill, 0))
            return acc, float(EIGHTHS)
        # bincount adds each row's credits in the order of the entries (the skills in
        # wanted order), as it always has: with factors that are not exact binary
        # fractions the float sum depends on that order, and the raw scores must not move.
        num: Array = np.bincount(rows, weights=table.take(slot), minlength=self.n)
        return num, 1.0

    def _add_columns(
        self, acc: Array, asked: tuple[Array, Array | None], held: int, near: int
    ) -> None:
        """acc += the table's credit in eighths for a skill kept as columns of the level
        asked, required and optional (0: not asked). A row asks it once, as one or the
        other, and a credit is at most 40 eighths (level ≤ 5): uint8 holds their sum."""
        b, w = self.buffers, self.w
        size = len(asked[0])
        total, part, tmp = (b.u8(name)[:size] for name in ("credit", "part", "tmp credit"))
        have = False
        for levels, factor in zip(asked, (1.0, w.optional_skill_factor), strict=True):
            out = part if have else total
            if levels is not None and self._column_credit(levels, held, near, factor, out, tmp):
                if have:
                    np.add(total, part, out=total)
                have = True
        if have:
            head = acc[:size]
            np.add(head, total, out=head)

    def _column_credit(
        self, asked: Array, held: int, near: int, factor: float, out: Array, tmp: Array
    ) -> bool:
        """out = max(8 × min(held, asked), 8 × related × min(near, asked)) × factor, the
        table's credit in eighths (False: 0 everywhere, out untouched). The related term
        can win only where near > held (related ≤ 1), so it is left out otherwise."""
        filled, size = self.buffers.filled, len(asked)
        have = False
        for level, share in (
            (held, 1.0),
            (near if near > held else 0, self.w.related_skill_factor),
        ):
            multiplier = round(EIGHTHS * factor * share)  # whole: see _exact
            if level <= 0 or multiplier <= 0:
                continue
            target = tmp if have else out
            np.minimum(asked, filled(min(level, 5))[:size], out=target)
            np.multiply(target, filled(multiplier)[:size], out=target)
            if have:
                np.maximum(out, tmp, out=out)
            have = True
        return have

    def _exact(self, levels: Iterable[int]) -> bool:
        """Is every credit a whole number of eighths, and every vacancy's sum below
        2**16 of them? A credit is min(level, asked), × related, × optional: eighths
        when the levels are integers and the factors and their product are. It is at
        most the level asked when the factors are at most 1, so a vacancy's sum is at
        most 8 × the sum of its levels."""
        w = self.w
        related, optional = w.related_skill_factor, w.optional_skill_factor
        factors = (related, optional, related * optional)
        if not all(0.0 <= f <= 1.0 and (f * EIGHTHS).is_integer() for f in factors):
            return False
        if not all(type(level) is int and level >= 0 for level in levels):
            return False
        return EIGHTHS * self.index.skill_points(w).max_levels <= np.iinfo(np.uint16).max

    def _occupation_table(self) -> Array:
        desired = self.s.desired_occupations
        if not desired:
            return np.zeros(max(len(self.index.occupations), 1))

        def make() -> Array:
            codes = self.index.occupations.codes
            table = np.zeros(max(len(codes), 1))
            groups = self.index.occupations_by_prefix()
            for prefix in {code[:2] for code in desired}:
                for i in groups.get(prefix, ()):
                    table[i] = rules.occupation_value(desired, codes[i], self.w)
            return table

        return self.memo.get(("occupations", desired), len(self.index.occupations), make)

    def key(self) -> Array:
        w, index = self.w, self.index
        points = index.skill_points(w)
        num, unit = self.skills
        key = self.buffers.array("key", np.float64)
        # credit × scale, from eighths × (scale / 8): the same product, a power of two
        # apart on both sides. Then + weights.skills where nothing is asked (scale 0
        # there); elsewhere the engine's term is credit × scale + 0.0, the same number.
        if unit == EIGHTHS:
            np.copyto(key, num)  # cast first: twice as fast as a mixed-type multiply
            np.multiply(key, points.eighths, out=key)
        else:
            np.multiply(num, points.scale, out=key)
        if len(points.unasked):
            key[points.unasked] += w.skills
        # The occupation points, one addition per row whose occupation shares a group
        # with one the seeker wants; the other rows would add 0.0.
        prefixes = {code[:2] for code in self.s.desired_occupations}
        if prefixes:
            by_slot = w.occupation * self.occupation
            for prefix in sorted(prefixes):
                rows, slots = index.occupation_rows(prefix)
                np.add.at(key, rows, by_slot.take(slots))  # rows are distinct
            if self.n > index.base_size:  # rows appended since the last compaction
                tail = key[index.base_size :]
                tail += by_slot.take(self.cols["occupation"][index.base_size :])
        return key

    def rest(self) -> float:
        """At most what the other components add to any vacancy."""
        w = self.w
        return w.location + w.languages + w.salary + w.experience + w.employment + w.availability

    # --- the engine's formula, term by term in the engine's order, for some rows --------

    def evaluate(self, rows: Array) -> Array:
        c, s, w, ref = self.cols, self.s, self.w, self.ref
        den = self.index.skill_denominators(w)[rows]
        num, unit = self.skills
        credit = num[rows] / unit if unit != 1.0 else num[rows]  # eighths / 8: exact
        with np.errstate(divide="ignore", invalid="ignore"):
            skills = np.where(den > 0.0, credit / den, 1.0)
        # (take: a gather by a narrow index, without fancy indexing's overhead)
        occupation = self.occupation.take(c["occupation"][rows])
        access = self.access[rows]
        flags = c["flags"][rows]
        # The location value by place and relocation help, 1.0 for remote access.
        spot = c["place"][rows].astype(np.intp)
        spot *= 8
        spot += flags & HELP
        location = np.where(access, 1.0, self._location_table()[spot])
        languages = self._languages(rows)
        salary = self._salary(rows, access, flags)
        minimum = c["experience"][rows].astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            experience = np.where(
                minimum <= 0, 1.0, np.minimum(s.experience_years, minimum) / minimum
            )
        wanted = [not s.employment_types or t in s.employment_types for t in EMPLOYMENT]
        employment = np.array(wanted, dtype=np.float64).take(c["employment"][rows])
        # The start, never before as_of (0, "not said", is as_of): max(start, as_of).
        as_of = ref.as_of.toordinal()
        start = np.maximum(c["start"][rows], as_of, dtype=np.int64)
        late = max((s.available_from or ref.as_of).toordinal(), as_of) - start
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
        # The engine's sum, term by term from 0.0 (the first term is non-negative, so
        # 0.0 + it is it).
        weights = w.component_weights()
        raw = weights[0] * values[0]
        term = np.empty_like(raw)
        for weight, value in zip(weights[1:], values[1:], strict=True):
            np.add(raw, np.multiply(weight, value, out=term), out=raw)
        return raw

    def _location_table(self) -> Array:
        """``scoring.place_location`` by place × 8 + relocation help bits, the same
        operations; remote access (1.0) is applied per row."""
        s, w = self.s, self.w

        def make() -> Array:
            codes = self.index.places.codes
            distance = np.array(
                self.index.distances.row(self.ref, s.region, [r for _c, r in codes])
            )
            same = np.array([country == s.country for country, _r in codes], dtype=np.bool_)
            known = ~np.isnan(distance)
            unknown = np.where(same, w.unknown_distance_same_country, w.unknown_distance_abroad)
            with np.errstate(invalid="ignore"):
                near = np.where(known, 1.0 / (1.0 + distance / w.distance_half_km), unknown)
                move = ~known | (distance > w.commute_km)
            bits = range(8)
            help_share = np.array(
                [rules.relocation_help_share(b & 1 != 0, b & 2 != 0, b & 4 != 0) for b in bits]
            )
            near, move = near[:, None], move[:, None]
            value = np.where(move, near + (1.0 - near) * w.relocation_credit * help_share, near)
            table: Array = value.ravel()
            return table

        key = ("location", s.region, s.country)
        return self.memo.get(key, len(self.index.places), make)

    def _languages(self, rows: Array) -> Array:
        c, s = self.cols, self.s
        num = np.zeros(len(rows), dtype=np.int64)
        for code in DENSE_LANGUAGES:
            held = s.languages.get(code, 0)
            if held > 0:  # min(asked, 0) adds nothing
                num += np.minimum(c[f"lang.{code}"][rows], held)
        if self.rare_languages:
            num += self._rare_language_levels()[rows]
        den = c["language_levels"][rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, num / den, 1.0)

    def _rare_language_levels(self) -> Array:
        """Per row, the sum over the languages outside the columns of min(asked, held),
        made once a query (``select`` may evaluate twice)."""
        if self._rare is None:
            self._rare = np.zeros(self.n, dtype=np.int64)
            for code in self.rare_languages:
                held = self.s.languages.get(code, 0)
                found = self.index.postings["languages"].get(code) if held > 0 else None
                if found is not None:  # (min(asked, 0) adds nothing)
                    np.add.at(self._rare, found[0], np.minimum(found[1], held))
        return self._rare

    def _salary_tables(self) -> _Salary | None:
        """The seeker's side of ``scoring._salary``: None when no rate converts it."""
        s, w, ref = self.s, self.w, self.ref
        wish = s.salary
        if wish is None:
            return None
        expectation = rules.monthly_usd(
            wish.amount,
            currency=wish.currency,
            period=wish.period,
            gross=wish.gross,
            ref=ref,
            weights=w,
        )
        if expectation is None:
            return None
        index, memo = self.index, self.memo

        def rates() -> Array:
            codes = index.currencies.codes
            return np.array([ref.units_per_usd.get(code, np.nan) for code in codes] or [np.nan])

        def levels() -> tuple[Array, Array, tuple[float, float]]:
            found = [rules.price_levels(s.country, code, ref, w) for code in index.countries.codes]
            return (
                np.array([h for h, _w in found] or [1.0]),
                np.array([wl for _h, wl in found] or [1.0]),
                rules.price_levels(s.country, s.country, ref, w),
            )

        home, work, at_home = memo.get(("levels", s.country), len(index.countries), levels)
        return _Salary(
            expectation=expectation,
            rates=memo.get(("rates",), len(index.currencies), rates),
            home=home,
            work=work,
            at_home=at_home,
            gross_up=memo.get(("gross up",), 0, lambda: np.where(GROSS_PAY, 1.0, w.net_share)),
        )

    def _salary(self, rows: Array, access: Array, flags: Array) -> Array:
        c, w = self.cols, self.w
        if self.s.salary is None:
            return np.ones(len(rows))
        t = self._salary_tables()
        if t is None:
            return np.full(len(rows), w.salary_unknown)
        countries = c["country"][rows]
        home_level = np.where(access, t.at_home[0], t.home.take(countries))
        work_level = np.where(access, t.at_home[1], t.work.take(countries))
        rate = t.rates.take(c["currency"][rows])
        hours, gross_up = HOURS.take(flags), t.gross_up.take(flags)
        offered = c["offer"][rows] * hours / gross_up / rate * work_level
        wished = t.expectation * home_level
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = offered / wished
            value = np.where(
                wished <= 0.0,
                1.0,
                np.where(ratio >= 1.0, 1.0, np.maximum(0.0, 1.0 - w.salary_slope * (1.0 - ratio))),
            )
        return np.where(NO_OFFER.take(flags) | np.isnan(rate), w.salary_unknown, value)


def _postings_of(
    postings: Postings, keys: Sequence[Key], delta_only: Iterable[Key] = ()
) -> list[tuple[int, tuple[Array, ...]]]:
    """(position in keys, ``postings.get(key)``) of each key some row has, in keys'
    order; for the keys in ``delta_only``, only their delta entries (the rows appended
    since the static part was built). A key without delta entries is sliced straight
    from the CSR arrays, without ``get``'s per-key overhead (a query asks ~50 keys)."""
    static, delta, skip = postings.keys, postings.delta, set(delta_only)
    plain = [
        (j, slot)
        for j, key in enumerate(keys)
        if key not in skip and key not in delta and (slot := static.get(key)) is not None
    ]
    found: list[tuple[int, tuple[Array, ...]]] = []
    if plain:
        slots = np.array([slot for _, slot in plain], dtype=np.intp)
        lo, hi = postings.ptr[slots].tolist(), postings.ptr[slots + 1].tolist()
        rows, payload = postings.rows, list(postings.data.values())
        if len(payload) == 1:  # skills: a code per entry
            (data,) = payload
            found = [
                (j, (rows[a:b], data[a:b])) for (j, _), a, b in zip(plain, lo, hi, strict=True)
            ]
        else:
            found = [
                (j, (rows[a:b], *(data[a:b] for data in payload)))
                for (j, _), a, b in zip(plain, lo, hi, strict=True)
            ]
    if not delta:
        return found
    for j, key in enumerate(keys):
        if key not in delta:
            continue
        if key in skip:
            fresh = list(zip(*delta[key], strict=True))
            kinds = [np.int32, *postings.dtypes.values()]
            arrays = tuple(np.array(c, dtype=k) for c, k in zip(fresh, kinds, strict=True))
            found.append((j, arrays))
        elif (both := postings.get(key)) is not None:
            found.append((j, both))
    found.sort(key=lambda item: item[0])
    return found
