"""The formulas, one small function each, shared by the engine and the index.

The candidate indexes evaluate the same formulas over NumPy arrays. To let them agree
with the engine to the last bit, every formula here is written as a fixed sequence of
IEEE double operations (+, −, ×, ÷, comparisons) on values both sides compute the same
way; anything transcendental (the haversine) is evaluated here, in Python, and the
indexes read the result from a table. Change an expression here and its twins in
``_seeker_query`` and ``_vacancy_query`` must change with it; the property tests on
``row_scores`` say so to within 1e-9 of a point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from matching.engine.records import ReferenceData, SalaryPeriod, Weights

HOURS_PER_MONTH = 173.0  # 40 h × 52 weeks / 12, as in taxonomy.choices
EARTH_RADIUS_KM = 6371.0088

# ISCO-08 groups of the professions whose diplomas the destination state must
# recognise under the EAEU Treaty (art. 97 §3): medicine (221x), nursing and
# midwifery (222x), other health professions incl. pharmacy and dentistry (226x),
# teaching (23xx) and law (261x).
REGULATED_PREFIXES = ("221", "222", "226", "23", "261")


def is_regulated_occupation(code: str) -> bool:
    return code.startswith(REGULATED_PREFIXES)


def tenths(raw: float) -> int:
    """A score in tenths of a point, half up: the same rounding NumPy can do exactly."""
    return math.floor(raw * 10.0 + 0.5)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(ref: ReferenceData, region_a: str | None, region_b: str | None) -> float | None:
    if region_a is None or region_b is None:
        return None
    if region_a == region_b:
        return 0.0
    a, b = ref.region_centres.get(region_a), ref.region_centres.get(region_b)
    if a is None or b is None:
        return None
    return haversine_km(a, b)


def proximity(
    distance: float | None, *, same_country: bool, weights: Weights
) -> tuple[float, bool]:
    """(proximity 0..1, must the seeker move?) for a seeker who does not work remotely."""
    if distance is None:
        value = (
            weights.unknown_distance_same_country
            if same_country
            else weights.unknown_distance_abroad
        )
        return value, True
    return 1.0 / (1.0 + distance / weights.distance_half_km), distance > weights.commute_km


def relocation_help_share(travel: bool, housing: bool, registration: bool) -> float:
    return (float(travel) + float(housing) + float(registration)) / 3.0


def location_value(near: float, *, must_move: bool, help_share: float, weights: Weights) -> float:
    if not must_move:
        return near
    return near + (1.0 - near) * weights.relocation_credit * help_share


def occupation_value(desired: Iterable[str], occupation: str, weights: Weights) -> float:
    best = 0.0
    for code in desired:
        best = max(best, occupation_similarity(code, occupation, weights))
    return best


def occupation_similarity(code: str, occupation: str, weights: Weights) -> float:
    if len(code) >= 4 and code[:4] == occupation[:4]:
        return 1.0
    if len(code) >= 3 and len(occupation) >= 3 and code[:3] == occupation[:3]:
        return weights.occupation_minor_group
    if len(code) >= 2 and len(occupation) >= 2 and code[:2] == occupation[:2]:
        return weights.occupation_sub_major_group
    return 0.0


def monthly_usd(
    amount: float,
    *,
    currency: str,
    period: SalaryPeriod,
    gross: bool,
    ref: ReferenceData,
    weights: Weights,
) -> float | None:
    """Gross pay per month in US dollars at the reference day's rate (None: no rate)."""
    rate = ref.units_per_usd.get(currency)
    if rate is None:
        return None
    hours = HOURS_PER_MONTH if period == SalaryPeriod.HOUR else 1.0
    gross_up = 1.0 if gross else weights.net_share
    return amount * hours / gross_up / rate


def price_levels(home: str, work: str, ref: ReferenceData, weights: Weights) -> tuple[float, float]:
    """Factors turning dollars spent at home and at work into international dollars.

    Both are 1.0 (market rates) unless PPP is on and known for both countries, so a
    comparison is never half in one measure and half in the other.
    """
    if not weights.use_ppp or ref.ppp_factors is None:
        return 1.0, 1.0
    factors = ref.ppp_factors
    home_level, work_level = _price_level(home, factors, ref), _price_level(work, factors, ref)
    if home_level is None or work_level is None:
        return 1.0, 1.0
    return home_level, work_level


def _price_level(country: str, factors: Mapping[str, float], ref: ReferenceData) -> float | None:
    factor = factors.get(country)
    currency = ref.country_currency.get(country)
    rate = ref.units_per_usd.get(currency) if currency is not None else None
    if factor is None or rate is None or factor <= 0:
        return None
    return rate / factor


def salary_value(offer: float, expectation: float, weights: Weights) -> float:
    if expectation <= 0.0:
        return 1.0
    ratio = offer / expectation
    if ratio >= 1.0:
        return 1.0
    return max(0.0, 1.0 - weights.salary_slope * (1.0 - ratio))


def experience_value(years: int, minimum: int) -> float:
    if minimum <= 0:
        return 1.0
    return min(years, minimum) / minimum


def availability_value(days_late: int, weights: Weights) -> float:
    if days_late <= 0:
        return 1.0
    return max(0.0, 1.0 - days_late / weights.availability_grace_days)


_MASK64 = (1 << 64) - 1


def shard_of(seeker_id: int, n_shards: int) -> int:
    """The shard that holds an id: a fixed 64-bit mix (splitmix64), the same everywhere."""
    z = (seeker_id + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return (z ^ (z >> 31)) % n_shards


class Distances:
    """Kilometres between a region and each place of an index, by ``distance_km``.

    The engine measures from the seeker's region to the vacancy's; ``places_first``
    says the index's places are the seekers'. A row per region, all of them filled
    the first time they are needed (one haversine per pair, in Python, so the index
    reads exactly the engine's numbers), and kept while the centres are the same —
    compared by value, so a fresh ReferenceData for each day's rates keeps them.
    """

    def __init__(self, *, places_first: bool) -> None:
        self.places_first = places_first
        self.centres: Mapping[str, tuple[float, float]] | None = None
        self.places: list[str | None] = []
        self.rows: dict[str | None, list[float]] = {}

    def row(
        self, ref: ReferenceData, region: str | None, places: Sequence[str | None]
    ) -> list[float]:
        """Distances from ``region`` to each of ``places`` (NaN: unknown)."""
        if self.centres is None or self.centres != ref.region_centres:
            self.centres, self.places, self.rows = dict(ref.region_centres), [], {}
        if len(places) != len(self.places):
            fresh = list(places[len(self.places) :])
            self.places = list(places)
            wanted = set(self.rows) | set(ref.region_centres) | {region}
            for origin in wanted:
                row = self.rows.setdefault(origin, [])
                row += [self._km(ref, origin, place) for place in fresh]
        found = self.rows.get(region)
        if found is None:
            found = self.rows[region] = [self._km(ref, region, place) for place in self.places]
        return found

    def _km(self, ref: ReferenceData, origin: str | None, place: str | None) -> float:
        if self.places_first:
            origin, place = place, origin
        distance = distance_km(ref, origin, place)
        return math.nan if distance is None else distance
