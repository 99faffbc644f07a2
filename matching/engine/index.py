"""The vectorised candidate indexes, and how their answers become the engine's results.

``SeekerIndex`` answers "the best seekers for this vacancy", ``VacancyIndex`` "the best
vacancies for this seeker". Both return a ``Shortlist`` that provably holds the top k
of the exact engine (ties by id); ``top_seekers``/``top_vacancies`` then score the
shortlist's top k with the engine, for the explanations, and check that both agree.

Sharding: a seeker lives in shard ``shard_of(id, n)``; each shard answers its own top
k, and ``merge_top_k`` of those lists is the global top k (any row of the global top k
is in its own shard's top k, since the order is total).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from matching.engine._select import IndexDisagreement, Shortlist
from matching.engine.records import (
    MatchResult,
    ReferenceData,
    SeekerFeatures,
    VacancyFeatures,
    Weights,
)
from matching.engine.rules import shard_of
from matching.engine.scoring import score
from matching.engine.seeker_index import SeekerIndex
from matching.engine.vacancy_index import VacancyIndex

__all__ = [
    "IndexDisagreement",
    "SeekerIndex",
    "Shortlist",
    "VacancyIndex",
    "merge_top_k",
    "shard_of",
    "top_seekers",
    "top_vacancies",
]

R = TypeVar("R")


def top_seekers(
    index: SeekerIndex,
    vacancy: VacancyFeatures,
    ref: ReferenceData,
    weights: Weights | None = None,
    *,
    k: int,
    fetch: Callable[[Sequence[int]], Mapping[int, SeekerFeatures]],
    pool: int | None = None,
) -> list[MatchResult]:
    """The eligible seekers' top k for a vacancy, scored and explained by the engine.

    ``fetch`` loads seekers' records by id (from PostgreSQL in the worker); it is
    called for the top k and for the rare rows whose rounding the index cannot settle.
    ``pool`` tunes how many rows are evaluated first (the answer does not depend on it).
    """
    shortlist = index.shortlist(vacancy, ref, weights, k=k, pool=pool)
    return _resolve(shortlist, fetch, lambda s: score(s, vacancy, ref, weights))


def top_vacancies(
    index: VacancyIndex,
    seeker: SeekerFeatures,
    ref: ReferenceData,
    weights: Weights | None = None,
    *,
    k: int,
    fetch: Callable[[Sequence[int]], Mapping[int, VacancyFeatures]],
    pool: int | None = None,
) -> list[MatchResult]:
    """The top k vacancies open to a seeker, scored and explained by the engine."""
    shortlist = index.shortlist(seeker, ref, weights, k=k, pool=pool)
    return _resolve(shortlist, fetch, lambda v: score(seeker, v, ref, weights))


def _resolve(
    shortlist: Shortlist,
    fetch: Callable[[Sequence[int]], Mapping[int, R]],
    score_one: Callable[[R], MatchResult],
) -> list[MatchResult]:
    uncertain = shortlist.uncertain_ids
    records: dict[int, R] = dict(fetch(uncertain)) if uncertain else {}
    results: dict[int, MatchResult] = {}
    exact: dict[int, int | None] = {}
    for row_id in uncertain:
        results[row_id] = result = score_one(records[row_id])
        exact[row_id] = round(result.score * 10) if result.eligible else None
    ranked = shortlist.ranked(exact)
    missing = [row_id for row_id, _ in ranked if row_id not in records]
    if missing:
        records.update(fetch(missing))
    final: list[MatchResult] = []
    for row_id, tenths in ranked:
        result = results.get(row_id) or score_one(records[row_id])
        if not result.eligible or round(result.score * 10) != tenths:
            raise IndexDisagreement(
                f"{row_id}: index {tenths / 10}, engine {result.score} ({result.eligible=})"
            )
        final.append(result)
    return final


def merge_top_k(
    lists: Iterable[Sequence[MatchResult]], *, k: int, by: str = "seeker"
) -> list[MatchResult]:
    """Merge the shards' top k lists (each sorted by (−score, id)) into the global top k."""

    def order(result: MatchResult) -> tuple[float, int]:
        row_id = result.seeker_id if by == "seeker" else result.vacancy_id
        return (-result.score, row_id)

    return list(heapq.merge(*lists, key=order))[:k]
