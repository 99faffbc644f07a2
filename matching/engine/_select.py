"""From a cheap bound to the exact top k, with the argument that makes it exact.

Each index hands ``select`` three things for one query:

- ``key``: per row, the points of the components it can compute cheaply for every
  row (skills and occupation), and ``eligible``, what the hard filters let through;
- ``rest``: an upper bound of the points all other components can add to any row;
- ``evaluate(rows)``: the full raw score of those rows, computed with the engine's
  own formulas in the engine's order of operations, in float64.

The argument. (1) A row's raw score is at most ``key + rest`` (up to ``SLACK`` for the
order of additions). (2) ``evaluate`` is within ``DELTA`` of the engine's raw score,
so the engine's rounded score lies in [lo, hi] = [tenths(raw − DELTA),
tenths(raw + DELTA)]; where lo == hi it is known exactly, elsewhere (a raw score
within DELTA of a rounding boundary, rare) the engine decides. (3) Let t be the k-th
best lo among the evaluated rows. A row with hi < t cannot enter the top k: k rows are
surely at least t. So the shortlist is the rows with hi ≥ t, and every row left out
is provably below it, either by its own hi or by (1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Float = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]

# The index's raw score differs from the engine's by a few units in the last place
# at most (the same operations in the same order; skill credits are exact eighths or
# summed in the engine's order); one millionth of a point is ten orders of magnitude
# above that and still rare enough (2e-5 of rows) to send few rows to the engine.
DELTA = 1e-6
# The key is float32, a bound: its rounding is under 1e-5 of a point at 100 points.
SLACK = 1e-4
# Rows evaluated first to learn the threshold: 1 in 200, within these bounds (measured
# best for 100k vacancies and for 1M seekers).
POOL_MIN, POOL_MAX = 512, 2048


def pool_size(n: int) -> int:
    return min(POOL_MAX, max(POOL_MIN, n // 200))


SAMPLE_STRIDE = 32


@dataclass(frozen=True, slots=True)
class RowScores:
    """Every row as the index sees one query (for tests and diagnostics): the hard
    filters' verdict, the raw score by the engine's formula, and the pruning bound."""

    ids: npt.NDArray[np.int64]
    eligible: npt.NDArray[np.bool_]
    raw: Float
    bound: Float


class IndexDisagreement(AssertionError):
    """The engine and the index scored a row differently: a bug, never a tie."""


@dataclass(frozen=True, slots=True)
class Shortlist:
    """A superset of the top k, best first by (−lo, id); scores in tenths of a point."""

    ids: npt.NDArray[np.int64]
    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]
    k: int

    @property
    def uncertain_ids(self) -> list[int]:
        return [int(i) for i in self.ids[self.lo != self.hi]]

    def ranked(self, exact: Mapping[int, int | None] | None = None) -> list[tuple[int, int]]:
        """The top k as (id, tenths); ``exact`` has the engine's tenths (None when the
        engine filters the row out) for every uncertain id."""
        entries: list[tuple[int, int]] = []
        for row_id, lo, hi in zip(
            self.ids.tolist(), self.lo.tolist(), self.hi.tolist(), strict=True
        ):
            if lo == hi:
                entries.append((lo, row_id))
                continue
            if exact is None or row_id not in exact:
                raise KeyError(f"the engine's score of {row_id} is needed")
            value = exact[row_id]
            if value is None:
                raise IndexDisagreement(f"{row_id}: eligible for the index, not for the engine")
            if not lo <= value <= hi:
                raise IndexDisagreement(f"{row_id}: engine {value}, index {lo}..{hi}")
            entries.append((value, row_id))
        entries.sort(key=lambda e: (-e[0], e[1]))
        return [(row_id, value) for value, row_id in entries[: self.k]]


def bounds(raw: Float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    lo = np.floor((raw - DELTA) * 10.0 + 0.5).astype(np.int64)
    hi = np.floor((raw + DELTA) * 10.0 + 0.5).astype(np.int64)
    return lo, hi


def kth_best(lo: npt.NDArray[np.int64], k: int) -> int:
    if len(lo) <= k:
        return int(lo.min()) if len(lo) else 0
    return int(np.partition(lo, len(lo) - k)[len(lo) - k])


def select(
    *,
    k: int,
    ids: npt.NDArray[np.int64],
    key: npt.NDArray[np.floating[Any]],
    eligible: npt.NDArray[np.bool_],
    rest: float,
    evaluate: Callable[[Rows], Float],
    pool: int,
) -> Shortlist:
    if k <= 0:
        raise ValueError("k must be positive")
    n = len(key)
    pool_floor = _pool_threshold(key, eligible, n, max(pool, k))
    rows = np.flatnonzero((key >= pool_floor) & eligible)
    raw = evaluate(rows)
    lo, hi = bounds(raw)
    if len(rows) >= k and pool_floor > 0.0:
        t = kth_best(lo, k)
        # Largest key a row can have and still reach hi ≥ t (see the module's argument).
        need = (t - 0.5) / 10.0 - DELTA - rest - SLACK
        if need < pool_floor:
            more = np.flatnonzero((key >= need) & (key < pool_floor) & eligible)
            if len(more):
                more_raw = evaluate(more)
                more_lo, more_hi = bounds(more_raw)
                rows = np.concatenate((rows, more))
                lo = np.concatenate((lo, more_lo))
                hi = np.concatenate((hi, more_hi))
    elif pool_floor > 0.0:
        # Too few in the pool: everyone eligible is a candidate.
        rows = np.flatnonzero(eligible)
        raw = evaluate(rows)
        lo, hi = bounds(raw)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return Shortlist(empty, empty, empty, k)
    t = kth_best(lo, k)
    keep = hi >= t
    chosen_ids, chosen_lo, chosen_hi = ids[rows[keep]], lo[keep], hi[keep]
    order = np.lexsort((chosen_ids, -chosen_lo))
    return Shortlist(chosen_ids[order], chosen_lo[order], chosen_hi[order], k)


def _pool_threshold(
    key: npt.NDArray[np.floating[Any]], eligible: npt.NDArray[np.bool_], n: int, pool: int
) -> float:
    """A key value with roughly ``pool`` eligible rows at or above it (0.0: all of them)."""
    if n <= pool * 4:
        return 0.0
    stride = max(1, min(SAMPLE_STRIDE, n // (pool * 4)))
    sample = key[::stride][eligible[::stride]]
    wanted = max(1, (pool * len(sample)) // max(1, int(np.count_nonzero(eligible))))
    if wanted >= len(sample):
        return 0.0
    value = float(np.partition(sample, len(sample) - wanted)[len(sample) - wanted])
    return max(value, 0.0)
