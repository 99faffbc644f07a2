"""Aggregate statistics of placements and of the labour market.

Flows of placements between countries and between regions, each region's balance,
placements and the time they took per month, and open positions against the seekers
who could take them. Every figure counts or summarises rows: none describes a person.

Two audiences see them (the rule is recorded in docs/decisions.md):

* **Reviewers** see exact figures over every placement not rejected — pending ones and
  those waiting for information included, because the review queue is the work they
  act on.
* **The public** sees approved placements only (facts the platform has checked), and no
  figure that counts from 1 to ``SMALL - 1`` people: such a figure is *withheld*
  (``None``, its field named in the row's ``suppressed``). Zero is shown. The flow
  tables of one period (region pairs, country pairs, each region's arrivals and
  departures) are withheld together so that no such count can be worked out exactly
  from the figures shown either (``flows_withheld``); the pattern is worked out on
  every country's flows and only then narrowed to the country asked for, so two answers
  about one period withhold the same figures. Medians of fewer than ``SMALL`` hires
  are withheld. Open positions count vacancies, which are public anyway: never
  withheld. What stays possible — subtracting the answers for two overlapping periods,
  or a month's total from the same month's total for one country — is the accepted
  residual risk recorded with the rule.

Months are calendar months in the platform's time zone (``TIME_ZONE``); a placement
belongs to the month of its hire (``hired_at``).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from matching.models import Placement, PlacementStatus
from seekers.models import MobilityScope, SeekerProfile
from taxonomy.models import Country, Occupation, Region
from taxonomy.reference import EAEU_MEMBERS
from vacancies.models import Vacancy

# The smallest count of people the public may see (1 to SMALL - 1 are withheld).
SMALL = 5
DAY_SECONDS = 86400.0


class Audience(enum.Enum):
    PUBLIC = "public"
    REVIEW = "review"

    @property
    def placements(self) -> str:
        """Which placements count, in the words the API answers with."""
        return "approved" if self is Audience.PUBLIC else "not_rejected"

    @property
    def withholds(self) -> bool:
        return self is Audience.PUBLIC


def _small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months, ``first`` to ``last`` (both the first day of a month)."""

    first: date
    last: date

    def months(self) -> list[date]:
        span = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, n) for n in range(span + 1)]

    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(add_months(self.last, 1), time.min))


def placements_counted(*, audience: Audience, period: Period) -> QuerySet[Placement]:
    """The placements a statistic counts: hired within the period, approved ones for the
    public, every one not rejected for reviewers."""
    placements = Placement.objects.filter(hired_at__gte=period.start(), hired_at__lt=period.end())
    if audience is Audience.PUBLIC:
        return placements.filter(status=PlacementStatus.APPROVED)
    return placements.exclude(status=PlacementStatus.REJECTED)


def _either_end(country: str | None) -> Q:
    return (
        Q() if country is None else Q(origin_country_id=country) | Q(destination_country_id=country)
    )


class _Names:
    """Names of the countries and regions the rows mention, in the active language."""

    def __init__(self, countries: Iterable[str], regions: Iterable[str | None]) -> None:
        self.countries = {c.code: c.name for c in Country.objects.filter(code__in=set(countries))}
        codes = {r for r in regions if r is not None}
        self.regions = {r.code: r.name for r in Region.objects.filter(code__in=codes)}

    def region(self, code: str | None) -> str | None:
        return None if code is None else self.regions.get(code, code)

    def country(self, code: str) -> str:
        return self.countries.get(code, code)


# --- Flows and balances ------------------------------------------------------------

# (origin country, origin region, destination country, destination region)
Cell = tuple[str, str | None, str, str]


def _cell_order(cell: Cell) -> tuple[str, str, str, str]:
    return (cell[0], cell[1] or "", cell[2], cell[3])


def _flow_cells(*, audience: Audience, period: Period) -> dict[Cell, int]:
    rows = (
        placements_counted(audience=audience, period=period)
        .values(
            "origin_country_id",
            "origin_region_id",
            "destination_country_id",
            "destination_region_id",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        (
            r["origin_country_id"],
            r["origin_region_id"],
            r["destination_country_id"],
            r["destination_region_id"],
        ): r["n"]
        for r in rows
    }


# A published total: ("pair", origin country, destination country), ("in", region) for
# arrivals from other regions, ("out", region) for departures to other regions.
Total = tuple[str, ...]
# Below this, a residual or a singular value is taken for zero (the equations are sums
# of 0/1 coefficients, so exact results are far from it).
_EPSILON = 1e-7


def flow_totals(cells: Iterable[Cell]) -> dict[Total, tuple[Cell, ...]]:
    """The totals the flow tables publish, each with the cells it adds up."""
    totals: dict[Total, list[Cell]] = defaultdict(list)
    for cell in sorted(cells, key=_cell_order):
        for key in _totals_of(cell):
            totals[key].append(cell)
    return {key: tuple(parts) for key, parts in totals.items()}


def _totals_of(cell: Cell) -> list[Total]:
    """The totals a cell is part of (a hire at home moves no one: only its pair's)."""
    origin_country, origin_region, destination_country, destination_region = cell
    keys: list[Total] = [("pair", origin_country, destination_country)]
    if origin_region != destination_region:
        keys.append(("in", destination_region))
        if origin_region is not None:
            keys.append(("out", origin_region))
    return keys


@dataclass(frozen=True)
class Withheld:
    """What the public may not see of one period's flows."""

    cells: frozenset[Cell]
    totals: frozenset[Total]


def flows_withheld(cells: Mapping[Cell, int]) -> Withheld:
    """The cells and totals withheld from the public so that no count of 1 to SMALL - 1
    people can be seen or worked out exactly from what is shown.

    First every such cell and total is withheld. Where a published total then adds up
    exactly one withheld small cell (the total minus the rest would give it away), the
    smallest other cell of it goes too, or the total when it has no other. Then, while
    the published figures still determine a small count in a longer way — a region's
    arrivals minus a country pair's flow, say — one more figure on that working-out
    goes: the smallest cell whose withholding stops it, else the smallest such total
    (totals are the more useful figures, so cells go first). Whether a figure is
    determined is linear algebra: its cells, as a vector over the withheld cells, lie in
    the row space of the published totals' equations.
    """
    totals = flow_totals(cells)
    sums = {key: sum(cells[c] for c in parts) for key, parts in totals.items()}
    small = {cell for cell, n in cells.items() if _small(n)}
    hidden = set(small)
    withheld = {key for key, n in sums.items() if _small(n)}
    sensitive = [(cell,) for cell in sorted(small, key=_cell_order)] + [
        totals[key] for key in sorted(withheld)
    ]
    _complement_directly(cells, totals, small, hidden, withheld)
    for _step in range(len(cells) + len(totals) + 1):
        equations = _Equations(totals, hidden, withheld)
        found = equations.first_worked_out(sensitive)
        if found is None:
            break
        used = sorted(
            (key for key, w in found.items() if abs(w) > _EPSILON),
            key=lambda key: (sums[key], key),
        )
        weight_of: dict[Cell, float] = defaultdict(float)
        for key in used:
            for cell in totals[key]:
                if cell not in hidden and cells[cell] > 0:
                    weight_of[cell] += found[key]
        on_the_way = sorted(
            (cell for cell, w in weight_of.items() if abs(w) > _EPSILON),
            key=lambda c: (cells[c], _cell_order(c)),
        )
        chosen = next((c for c in on_the_way if equations.stopped_by_cell(_totals_of(c))), None)
        total = next((k for k in used if equations.stopped_by_total(k)), None)
        if chosen is not None:
            hidden.add(chosen)
        elif total is not None:
            withheld.add(total)
        elif on_the_way:  # none stops it alone: withhold one and look again
            hidden.add(on_the_way[0])
        else:
            withheld.add(used[0])
    return Withheld(cells=frozenset(hidden), totals=frozenset(withheld))


def _complement_directly(
    cells: Mapping[Cell, int],
    totals: Mapping[Total, tuple[Cell, ...]],
    small: set[Cell],
    hidden: set[Cell],
    withheld: set[Total],
) -> None:
    """The quick, common case: a published total with one withheld small cell."""
    changed = True
    while changed:
        changed = False
        for key, parts in totals.items():
            if key in withheld:
                continue
            inside = [cell for cell in parts if cell in hidden]
            if len(inside) != 1 or inside[0] not in small:
                continue
            others = [cell for cell in parts if cell not in hidden and cells[cell] > 0]
            if others:
                hidden.add(min(others, key=lambda c: (cells[c], _cell_order(c))))
            else:
                withheld.add(key)
            changed = True


class _Equations:
    """What the published totals say about the withheld cells: one equation per
    published total that adds up some of them."""

    def __init__(
        self, totals: Mapping[Total, tuple[Cell, ...]], hidden: set[Cell], withheld: set[Total]
    ) -> None:
        self.unknowns = {cell: i for i, cell in enumerate(sorted(hidden, key=_cell_order))}
        self.keys = [
            key
            for key in sorted(totals)
            if key not in withheld and any(c in self.unknowns for c in totals[key])
        ]
        matrix = np.zeros((len(self.keys), len(self.unknowns)))
        for row, key in enumerate(self.keys):
            for cell in totals[key]:
                if cell in self.unknowns:
                    matrix[row, self.unknowns[cell]] = 1.0
        empty: npt.NDArray[np.float64] = np.zeros((0, 0))
        self.left, self.singular, self.basis, self.rank = empty, np.zeros(0), empty, 0
        self.working: npt.NDArray[np.float64] = np.zeros(len(self.keys))
        if self.keys:
            left, singular, right = np.linalg.svd(matrix, full_matrices=False)
            scale = max(1.0, float(singular[0]))
            self.rank = int((singular > _EPSILON * scale).sum())
            self.left, self.singular, self.basis = left, singular, right[: self.rank]

    def first_worked_out(self, sensitive: Sequence[tuple[Cell, ...]]) -> dict[Total, float] | None:
        """Whether the published totals determine one of the ``sensitive`` sums: the
        weights that add the totals up to the first such (kept for ``stopped_by_*``),
        else ``None``."""
        self.working = np.zeros(len(self.keys))
        if not self.rank or not sensitive:
            return None
        vectors = np.zeros((len(self.unknowns), len(sensitive)))
        for column, parts in enumerate(sensitive):
            for cell in parts:
                if cell in self.unknowns:
                    vectors[self.unknowns[cell], column] = 1.0
        coordinates = self.basis @ vectors
        residuals = np.linalg.norm(vectors - self.basis.T @ coordinates, axis=0)
        for found in np.flatnonzero(residuals < _EPSILON):
            if vectors[:, found].any():
                self.working = self.left[:, : self.rank] @ (
                    coordinates[:, found] / self.singular[: self.rank]
                )
                return dict(zip(self.keys, (float(w) for w in self.working), strict=True))
        return None

    # The working-out found is one solution y of Aᵀy = v; all are y + null(Aᵀ).

    def stopped_by_cell(self, totals_of_cell: Iterable[Total]) -> bool:
        """Whether withholding a published cell (in these totals) leaves the sum found
        undetermined: no solution may give the cell a weight, which happens when its
        column lies in A's column space (fixed weight a·y) and that weight is not 0."""
        index = {key: row for row, key in enumerate(self.keys)}
        column = np.zeros(len(self.keys))
        for key in totals_of_cell:
            if key in index:
                column[index[key]] = 1.0
        if abs(float(column @ self.working)) <= _EPSILON:
            return False
        span = self.left[:, : self.rank]
        return bool(np.linalg.norm(column - span @ (span.T @ column)) < _EPSILON)

    def stopped_by_total(self, key: Total) -> bool:
        """Whether withholding a published total leaves the sum found undetermined: every
        solution must use it, which happens when its weight is not 0 and no vector of
        null(Aᵀ) touches it (its unit vector lies in A's column space)."""
        row = self.keys.index(key)
        if abs(float(self.working[row])) <= _EPSILON:
            return False
        return bool(
            abs(float(self.left[row, : self.rank] @ self.left[row, : self.rank]) - 1.0) < _EPSILON
        )


@dataclass(frozen=True)
class CountryFlow:
    origin_country: str
    origin_country_name: str
    destination_country: str
    destination_country_name: str
    placements: int | None
    suppressed: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionFlow:
    origin_country: str
    origin_region: str | None
    origin_region_name: str | None
    destination_country: str
    destination_region: str
    destination_region_name: str | None
    placements: int | None
    suppressed: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionBalance:
    region: str
    region_name: str | None
    country: str
    arrivals: int | None
    departures: int | None
    net: int | None
    suppressed: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Flows:
    cells: dict[Cell, int]
    totals: dict[Total, tuple[Cell, ...]]
    withheld: Withheld

    def total(self, key: Total) -> int | None:
        """The total, or ``None`` when withheld (a total nothing adds up to is zero)."""
        if key in self.withheld.totals:
            return None
        return sum(self.cells[cell] for cell in self.totals.get(key, ()))


def _flows(*, audience: Audience, period: Period) -> _Flows:
    # The pattern is worked out on every country's flows, and only then narrowed to the
    # country asked for: two answers about one period withhold the same figures.
    cells = _flow_cells(audience=audience, period=period)
    withheld = (
        flows_withheld(cells)
        if audience.withholds
        else Withheld(cells=frozenset(), totals=frozenset())
    )
    return _Flows(cells=cells, totals=flow_totals(cells), withheld=withheld)


def country_flows(
    *, audience: Audience, period: Period, country: str | None = None
) -> list[CountryFlow]:
    """Placements from each country to each (a country to itself: the hires within it)."""
    flows = _flows(audience=audience, period=period)
    pairs = sorted(
        {(c[0], c[2]) for c in flows.cells if country is None or country in (c[0], c[2])}
    )
    names = _Names([c for pair in pairs for c in pair], [])
    rows = []
    for origin, destination in pairs:
        total = flows.total(("pair", origin, destination))
        rows.append(
            CountryFlow(
                origin_country=origin,
                origin_country_name=names.country(origin),
                destination_country=destination,
                destination_country_name=names.country(destination),
                placements=total,
                suppressed=("placements",) if total is None else (),
            )
        )
    return rows


def region_flows(
    *, audience: Audience, period: Period, country: str | None = None
) -> list[RegionFlow]:
    """Placements from each region to each. The origin region is unknown (``None``) when
    the seeker named none; a region to itself counts the hires at home."""
    flows = _flows(audience=audience, period=period)
    cells = sorted(
        (c for c in flows.cells if country is None or country in (c[0], c[2])), key=_cell_order
    )
    names = _Names([], [c[1] for c in cells] + [c[3] for c in cells])
    rows = []
    for cell in cells:
        hide = cell in flows.withheld.cells
        rows.append(
            RegionFlow(
                origin_country=cell[0],
                origin_region=cell[1],
                origin_region_name=names.region(cell[1]),
                destination_country=cell[2],
                destination_region=cell[3],
                destination_region_name=names.region(cell[3]),
                placements=None if hide else flows.cells[cell],
                suppressed=("placements",) if hide else (),
            )
        )
    return rows


def regional_balance(
    *, audience: Audience, period: Period, country: str | None = None
) -> list[RegionBalance]:
    """Each region's arrivals from other regions, departures to other regions and the
    net balance (arrivals − departures); hires within a region move no one."""
    flows = _flows(audience=audience, period=period)
    regions = {c[3] for c in flows.cells} | {c[1] for c in flows.cells if c[1] is not None}
    where = {r.code: r.country_id for r in Region.objects.filter(code__in=regions)}
    if country is not None:
        regions = {r for r in regions if where.get(r) == country}
    names = _Names([], regions)
    rows = []
    for region in sorted(regions):
        arrivals, departures = flows.total(("in", region)), flows.total(("out", region))
        net = None if arrivals is None or departures is None else arrivals - departures
        suppressed = tuple(
            field
            for field, value in (("arrivals", arrivals), ("departures", departures))
            if value is None
        )
        rows.append(
            RegionBalance(
                region=region,
                region_name=names.region(region),
                country=where.get(region, ""),
                arrivals=arrivals,
                departures=departures,
                net=net,
                suppressed=(*suppressed, "net") if suppressed else (),
            )
        )
    return rows


# --- Months ---------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's continuous median of the expression (NULLs left out)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days(since: str) -> Func:
    """Days (fractional) from ``since`` to the hire."""
    return Func(
        F("hired_at") - F(since),
        template=f"(EXTRACT(EPOCH FROM %(expressions)s) / {DAY_SECONDS})::double precision",
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class MonthPlacements:
    month: str  # YYYY-MM
    placements: int | None
    suppressed: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthTimeToPlacement:
    month: str
    placements: int | None
    median_days_from_publication: float | None
    median_days_from_application: float | None
    suppressed: tuple[str, ...] = ()


def _by_month(*, audience: Audience, period: Period, country: str | None) -> dict[date, Any]:
    rows = (
        placements_counted(audience=audience, period=period)
        .filter(_either_end(country))
        .annotate(month=TruncMonth("hired_at"))
        .values("month")
        .annotate(
            n=Count("id"),
            published=Count("id", filter=Q(vacancy__published_at__isnull=False)),
            applied=Count("application_id"),
            from_publication=Median(_days("vacancy__published_at")),
            from_application=Median(_days("application__created_at")),
        )
        .order_by("month")
    )
    return {timezone.localtime(r["month"]).date(): r for r in rows}


def placements_by_month(
    *, audience: Audience, period: Period, country: str | None = None
) -> list[MonthPlacements]:
    """Placements hired in each month of the period (months without any: zero)."""
    found = _by_month(audience=audience, period=period, country=country)
    rows = []
    for month in period.months():
        n = found[month]["n"] if month in found else 0
        hide = audience.withholds and _small(n)
        rows.append(
            MonthPlacements(
                month=f"{month:%Y-%m}",
                placements=None if hide else n,
                suppressed=("placements",) if hide else (),
            )
        )
    return rows


def _median(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def time_to_placement(
    *, audience: Audience, period: Period, country: str | None = None
) -> list[MonthTimeToPlacement]:
    """The median days from the vacancy's publication to the hire, and from the start of
    the application (the seeker applying, or the employer inviting) to the hire, of the
    placements hired in each month. A placement whose seeker left the platform has no
    application any more and counts only in the first median."""
    found = _by_month(audience=audience, period=period, country=country)
    rows = []
    for month in period.months():
        row = found.get(month)
        n = row["n"] if row else 0
        figures: dict[str, Any] = {
            "placements": n,
            "median_days_from_publication": _median(row["from_publication"]) if row else None,
            "median_days_from_application": _median(row["from_application"]) if row else None,
        }
        hidden: list[str] = []
        if audience.withholds and row:
            # A median of fewer than SMALL hires is (nearly) someone's own hire date.
            bases = {
                "placements": n,
                "median_days_from_publication": row["published"],
                "median_days_from_application": row["applied"],
            }
            hidden = [f for f, base in bases.items() if _small(base)]
        rows.append(
            MonthTimeToPlacement(
                month=f"{month:%Y-%m}",
                **{f: None if f in hidden else v for f, v in figures.items()},
                suppressed=tuple(hidden),
            )
        )
    return rows


# --- The labour market ----------------------------------------------------------------


@dataclass(frozen=True)
class LabourMarketRow:
    region: str
    region_name: str
    country: str
    occupation: str
    occupation_title: str
    open_positions: int
    active_seekers: int | None
    matching_seekers: int | None
    shortage_index: float | None
    suppressed: tuple[str, ...] = ()


def seekers_active() -> QuerySet[SeekerProfile]:
    """Seekers whose data the platform may process and who can use it: consent given
    and the account switched on."""
    return SeekerProfile.objects.filter(consent_given_at__isnull=False, user__is_active=True)


def _group(level: int) -> Substr:
    # ISCO-08 codes nest by prefix: the sub-major group of 7212 is 72.
    return Substr("occupation_id", 1, level)


def labour_market(
    *, audience: Audience, level: int = 4, country: str | None = None, today: date | None = None
) -> list[LabourMarketRow]:
    """Today's open positions and seekers per region and occupation (ISCO-08 group at
    ``level``: 4 unit groups, 2 sub-major groups), with the shortage index.

    * open positions: the ``positions`` of the vacancies open today;
    * active seekers: active seekers living in the region who want work in the group
      (a seeker wanting two groups counts in both);
    * matching seekers: active seekers wanting work in the group whose mobility takes
      in the region — an approximation of the engine's hard filters: living there, or
      willing to move anywhere in their country (when it is the region's), anywhere in
      the EAEU (when the region is in a member state) or anywhere at all, or listing the
      region or its country. Commuting distance, the right to work, languages and
      remote work are left out;
    * shortage index: open positions per matching seeker (none without seekers).
    """
    positions_rows = (
        Vacancy.objects.open(today=today)
        .filter(Q() if country is None else Q(country_id=country))
        .annotate(group=_group(level))
        .values("region_id", "group")
        .annotate(positions=Sum("positions"))
        .order_by()
    )
    positions = {(r["region_id"], r["group"]): int(r["positions"]) for r in positions_rows}

    wants = SeekerProfile.desired_occupations.through.objects.filter(
        seekerprofile__in=seekers_active()
    )
    # Each seeker has one scope, country and region: counts per group add up exactly.
    by_home = (
        wants.values(
            group=_group(level),
            scope=F("seekerprofile__mobility_scope"),
            home_country=F("seekerprofile__country_id"),
            home_region=F("seekerprofile__region_id"),
        )
        .annotate(n=Count("seekerprofile_id", distinct=True))
        .order_by()
    )
    local: dict[tuple[str, str], int] = defaultdict(int)  # (region, group)
    local_scope: dict[tuple[str, str, str], int] = defaultdict(int)  # (region, group, scope)
    country_wide: dict[tuple[str, str], int] = defaultdict(int)  # (country, group)
    union_wide: dict[str, int] = defaultdict(int)  # group
    anywhere: dict[str, int] = defaultdict(int)  # group
    for r in by_home:
        group, scope, n = r["group"], r["scope"], r["n"]
        if r["home_region"] is not None:
            local[(r["home_region"], group)] += n
            local_scope[(r["home_region"], group, scope)] += n
        if scope == MobilityScope.COUNTRY:
            country_wide[(r["home_country"], group)] += n
        elif scope == MobilityScope.EAEU:
            union_wide[group] += n
        elif scope == MobilityScope.ANYWHERE:
            anywhere[group] += n

    keys = set(positions) | set(local)
    regions = {r.code: r for r in Region.objects.filter(code__in={k[0] for k in keys})}
    if country is not None:
        keys = {k for k in keys if regions[k[0]].country_id == country}
    listed = _listed_reach(wants, level, keys, regions)
    titles = {o.code: o.title for o in Occupation.objects.filter(code__in={k[1] for k in keys})}

    rows = []
    for region_code, group in sorted(keys):
        region = regions[region_code]
        here = region.country_id
        matching = (
            local_scope[(region_code, group, MobilityScope.REGION)]
            + country_wide[(here, group)]
            + (
                union_wide[group]
                if here in EAEU_MEMBERS
                else local_scope[(region_code, group, MobilityScope.EAEU)]
            )
            + anywhere[group]
            + listed[(region_code, group)]
        )
        open_positions = positions.get((region_code, group), 0)
        active = local[(region_code, group)]
        index = round(open_positions / matching, 2) if matching else None
        hidden: list[str] = []
        if audience.withholds:
            if _small(active):
                hidden.append("active_seekers")
            if _small(matching):
                # The index and the public positions would give the count back.
                hidden += ["matching_seekers", "shortage_index"]
        rows.append(
            LabourMarketRow(
                region=region_code,
                region_name=region.name,
                country=here,
                occupation=group,
                occupation_title=titles.get(group, ""),
                open_positions=open_positions,
                active_seekers=None if "active_seekers" in hidden else active,
                matching_seekers=None if "matching_seekers" in hidden else matching,
                shortage_index=None if "shortage_index" in hidden else index,
                suppressed=tuple(hidden),
            )
        )
    return rows


def _listed_reach(
    wants: QuerySet[Any], level: int, keys: set[tuple[str, str]], regions: Mapping[str, Region]
) -> dict[tuple[str, str], int]:
    """For seekers who list where they would work: how many reach each (region, group)
    row — their own region, the regions they list, the regions of the countries they
    list."""
    rows_by_country: dict[str, set[str]] = defaultdict(set)
    for region_code, _group_code in keys:
        rows_by_country[regions[region_code].country_id].add(region_code)
    listing_profiles = seekers_active().filter(mobility_scope=MobilityScope.LISTED)
    listing = wants.filter(seekerprofile__in=listing_profiles)
    groups: dict[int, set[str]] = defaultdict(set)
    home: dict[int, str | None] = {}
    for profile_id, group, region in listing.values_list(
        "seekerprofile_id", _group(level), "seekerprofile__region_id"
    ):
        groups[profile_id].add(group)
        home[profile_id] = region
    reach: dict[int, set[str]] = {
        pid: ({region} if region is not None else set()) for pid, region in home.items()
    }
    listed_regions = SeekerProfile.mobility_regions.through.objects.filter(
        seekerprofile__in=listing_profiles
    ).values_list("seekerprofile_id", "region_id")
    for profile_id, region_code in listed_regions:
        if profile_id in reach:
            reach[profile_id].add(region_code)
    listed_countries = SeekerProfile.mobility_countries.through.objects.filter(
        seekerprofile__in=listing_profiles
    ).values_list("seekerprofile_id", "country_id")
    for profile_id, country_code in listed_countries:
        if profile_id in reach:
            reach[profile_id] |= rows_by_country.get(country_code, set())
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for profile_id, wanted in groups.items():
        for region_code in reach[profile_id]:
            for group in wanted:
                if (region_code, group) in keys:
                    counts[(region_code, group)] += 1
    return counts
