"""The vectorised indexes agree with the exact engine, however they are fed or split."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine._select import SLACK
from matching.engine.index import (
    IndexDisagreement,
    SeekerIndex,
    Shortlist,
    VacancyIndex,
    merge_top_k,
    shard_of,
    top_seekers,
    top_vacancies,
)
from matching.engine.records import (
    MatchResult,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    Weights,
)
from matching.engine.scoring import rank, score
from tests.matching.engine import builders
from tests.matching.engine.strategies import (
    REF,
    populations,
    seekers,
    vacancies,
    vacancy_lists,
)

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The same, for properties that build several indexes per example.
HEAVY = settings(PROPERTY, max_examples=60)
# Factors that are not multiples of 1/8: the index's float path, and raw scores that
# land near rounding boundaries, which the engine has to settle.
ODD_WEIGHTS = Weights(
    version="test-odd",
    skills=37.3,
    occupation=13.1,
    location=14.9,
    languages=8.7,
    salary=10.3,
    experience=5.2,
    employment=7.0,
    availability=3.5,
    optional_skill_factor=0.3,
    related_skill_factor=0.45,
)


def fetcher(records: Iterable[SeekerFeatures] | Iterable[VacancyFeatures]):
    by_id = {r.id: r for r in records}
    return lambda ids: {i: by_id[i] for i in ids}


def by_seeker(results: Sequence[MatchResult]) -> list[tuple[int, float]]:
    return [(r.seeker_id, r.score) for r in results]


def by_vacancy(results: Sequence[MatchResult]) -> list[tuple[int, float]]:
    return [(r.vacancy_id, r.score) for r in results]


@PROPERTY
@given(
    populations(),
    vacancies(),
    st.integers(1, 70),
    st.sampled_from([2, 4, None]),
    st.sampled_from([0, 3, 64]),
    st.sampled_from([None, ODD_WEIGHTS]),
)
def test_the_index_top_k_equals_the_engine_scoring_every_seeker(
    people, job, k, pool, dense, weights
):
    index = SeekerIndex.build(people, dense_skills=dense)

    found = top_seekers(index, job, REF, weights, k=k, fetch=fetcher(people), pool=pool)

    assert by_seeker(found) == by_seeker(rank(people, job, REF, weights, k=k))


@PROPERTY
@given(
    vacancy_lists(),
    seekers(1),
    st.integers(1, 70),
    st.sampled_from([2, 4, None]),
    st.sampled_from([None, ODD_WEIGHTS]),
)
def test_the_reverse_index_top_k_equals_the_engine_scoring_every_vacancy(
    jobs, someone, k, pool, weights
):
    index = VacancyIndex.build(jobs)

    found = top_vacancies(index, someone, REF, weights, k=k, fetch=fetcher(jobs), pool=pool)

    results = [r for r in (score(someone, job, REF, weights) for job in jobs) if r.eligible]
    results.sort(key=lambda r: (-r.score, r.vacancy_id))
    assert by_vacancy(found) == by_vacancy(results[:k])


@HEAVY
@given(st.data(), populations(max_size=30), vacancies(), st.integers(1, 10))
def test_upserts_and_removals_keep_the_index_equal_to_the_engine(data, people, job, k):
    index = SeekerIndex.build(people, dense_skills=3)
    current = {p.id: p for p in people}
    for _ in range(data.draw(st.integers(0, 20), label="changes")):
        action = data.draw(st.sampled_from(["upsert", "upsert", "remove", "compact"]))
        if action == "upsert":
            seeker_id = data.draw(st.sampled_from([*current, 20_001, 20_002, 20_003]))
            current[seeker_id] = data.draw(seekers(seeker_id))
            index.upsert(current[seeker_id])
        elif action == "remove" and current:
            seeker_id = data.draw(st.sampled_from(sorted(current)))
            assert index.remove(seeker_id)
            del current[seeker_id]
        else:
            index.compact()

    assert len(index) == len(current)
    assert sorted(index.ids.tolist()) == sorted(current)
    found = top_seekers(index, job, REF, k=k, fetch=fetcher(current.values()), pool=2)
    assert by_seeker(found) == by_seeker(rank(current.values(), job, REF, k=k))


@HEAVY
@given(populations(), vacancies(), st.integers(1, 10), st.integers(2, 5))
def test_merging_the_shards_top_k_gives_the_global_top_k(people, job, k, n_shards):
    shards = [[p for p in people if shard_of(p.id, n_shards) == s] for s in range(n_shards)]

    lists = [
        top_seekers(SeekerIndex.build(part), job, REF, k=k, fetch=fetcher(part))
        for part in shards
        if part
    ]

    assert by_seeker(merge_top_k(lists, k=k)) == by_seeker(rank(people, job, REF, k=k))


@settings(HEAVY, max_examples=15)
@given(populations(), vacancy_lists(max_size=20), vacancies(), seekers(1))
def test_a_snapshot_loads_back_into_the_same_index(people, jobs, job, someone):
    seeker_index, vacancy_index = (
        SeekerIndex.build(people, dense_skills=3),
        VacancyIndex.build(jobs),
    )
    with tempfile.TemporaryDirectory() as folder:
        seeker_index.save(Path(folder) / "seekers.npz")
        vacancy_index.save(Path(folder) / "vacancies.npz")
        seekers_again = SeekerIndex.load(Path(folder) / "seekers.npz")
        vacancies_again = VacancyIndex.load(Path(folder) / "vacancies.npz")

    for before, after in ((seeker_index, seekers_again), (vacancy_index, vacancies_again)):
        assert after.nbytes == before.nbytes
        assert after.ids.tolist() == before.ids.tolist()
    assert _same(seekers_again.shortlist(job, REF, k=5), seeker_index.shortlist(job, REF, k=5))
    assert _same(
        vacancies_again.shortlist(someone, REF, k=5), vacancy_index.shortlist(someone, REF, k=5)
    )


def _same(a: Shortlist, b: Shortlist) -> bool:
    return bool(a.ids.tolist() == b.ids.tolist() and a.lo.tolist() == b.lo.tolist())


def test_a_snapshot_of_one_kind_does_not_load_as_the_other(tmp_path):
    SeekerIndex.build([builders.seeker()]).save(tmp_path / "seekers.npz")

    with pytest.raises(ValueError, match="not a VacancyIndex"):
        VacancyIndex.load(tmp_path / "seekers.npz")


def test_a_seeker_upserted_after_the_build_is_found_by_the_next_query():
    index = SeekerIndex.build([builders.seeker(id=i, skills={}) for i in (1, 2, 3)])
    star = builders.seeker(id=9)

    index.upsert(star)
    found = top_seekers(index, builders.vacancy(), builders.REF, k=1, fetch=fetcher([star]))

    assert [r.seeker_id for r in found] == [9]


def test_an_upsert_replaces_the_seekers_old_row():
    index = SeekerIndex.build([builders.seeker(id=1), builders.seeker(id=2)])
    moved = builders.seeker(id=1, country="RU", region="RU-MOW")  # now out of scope

    index.upsert(moved)
    shortlist = index.shortlist(builders.vacancy(), builders.REF, k=5)

    assert len(index) == 2
    assert shortlist.ids.tolist() == [2]


def test_removing_an_unknown_seeker_says_so():
    index = SeekerIndex.build([builders.seeker(id=1)])

    assert index.remove(2) is False
    assert index.remove(1) is True
    assert index.remove(1) is False
    assert len(index) == 0


def test_a_build_with_a_duplicate_id_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        SeekerIndex.build([builders.seeker(id=1), builders.seeker(id=1)])


def test_an_empty_index_answers_with_nobody():
    index = SeekerIndex.build([])

    assert top_seekers(index, builders.vacancy(), builders.REF, k=5, fetch=fetcher([])) == []


def test_an_empty_vacancy_index_answers_a_seeker_with_nothing():
    # No vacancy open anywhere (all expired): a seeker's run finds nothing, not a crash.
    index = VacancyIndex.build([])

    assert top_vacancies(index, builders.seeker(), builders.REF, k=5, fetch=fetcher([])) == []


def test_the_engine_catches_an_index_that_disagrees_with_it():
    index = SeekerIndex.build([builders.seeker(id=1), builders.seeker(id=2)])
    changed = {1: builders.seeker(id=1, skills={}), 2: builders.seeker(id=2)}

    with pytest.raises(IndexDisagreement):
        top_seekers(index, builders.vacancy(), builders.REF, k=2, fetch=lambda ids: changed)


def test_a_shortlist_asks_the_engine_about_a_row_it_cannot_settle():
    ids = np.array([1, 2, 3])
    shortlist = Shortlist(ids, lo=np.array([900, 899, 850]), hi=np.array([900, 900, 850]), k=2)

    assert shortlist.uncertain_ids == [2]
    with pytest.raises(KeyError):
        shortlist.ranked({})
    assert shortlist.ranked({2: 899}) == [(1, 900), (2, 899)]
    assert shortlist.ranked({2: 900}) == [(1, 900), (2, 900)]
    with pytest.raises(IndexDisagreement):
        shortlist.ranked({2: 905})
    with pytest.raises(IndexDisagreement):
        shortlist.ranked({2: None})


def test_shard_of_is_fixed_and_spreads_ids_evenly():
    counts = np.bincount([shard_of(i, 4) for i in range(1, 40_001)], minlength=4)

    assert [shard_of(i, 4) for i in (1, 2, 3, 1_000_000)] == [
        shard_of(i, 4) for i in (1, 2, 3, 1_000_000)
    ]
    assert shard_of(123_456_789, 1) == 0
    assert counts.min() > 9_600 and counts.max() < 10_400


def test_an_index_of_realistic_profiles_keeps_under_200_bytes_a_seeker():
    draw = random.Random(4)
    popular = [int(2_000 * draw.random() ** 3) + 1 for _ in range(20_000)]
    people = [
        builders.seeker(
            id=i,
            skills=MappingProxyType(
                {
                    s: SeekerSkill(draw.randint(1, 5))
                    for s in draw.sample(popular, draw.randint(5, 30))
                }
            ),
        )
        for i in range(1, 5_001)
    ]

    index = SeekerIndex.build(people)

    assert index.nbytes / len(people) <= 200


# Whole eighths each, but not their product (1/64): the integer path must not be taken.
EIGHTH_WEIGHTS = Weights(
    version="test-eighths", optional_skill_factor=0.125, related_skill_factor=0.125
)


def engine_raw(result: MatchResult) -> float:
    """The engine's raw score, before rounding: its points summed in its order."""
    raw = 0.0
    for c in result.components:
        raw += c.weight * c.value
    return raw


@PROPERTY
@given(
    populations(),
    vacancies(),
    st.sampled_from([0, 3, 64]),
    st.sampled_from([None, ODD_WEIGHTS, EIGHTH_WEIGHTS]),
)
def test_every_seekers_verdict_and_raw_score_in_the_index_are_the_engines(
    people, job, dense, weights
):
    rows = SeekerIndex.build(people, dense_skills=dense).row_scores(job, REF, weights)
    results = {p.id: score(p, job, REF, weights) for p in people}

    for seeker_id, eligible, raw, bound in zip(
        rows.ids.tolist(), rows.eligible, rows.raw, rows.bound, strict=True
    ):
        result = results[seeker_id]
        assert eligible == result.eligible
        assert raw == pytest.approx(engine_raw(result), abs=1e-9)
        assert bound + SLACK >= raw  # pruning never drops a row that could win


@PROPERTY
@given(vacancy_lists(), seekers(1), st.sampled_from([None, ODD_WEIGHTS, EIGHTH_WEIGHTS]))
def test_every_vacancys_verdict_and_raw_score_in_the_index_are_the_engines(jobs, someone, weights):
    rows = VacancyIndex.build(jobs).row_scores(someone, REF, weights)
    results = {job.id: score(someone, job, REF, weights) for job in jobs}

    for vacancy_id, eligible, raw, bound in zip(
        rows.ids.tolist(), rows.eligible, rows.raw, rows.bound, strict=True
    ):
        result = results[vacancy_id]
        assert eligible == result.eligible
        assert raw == pytest.approx(engine_raw(result), abs=1e-9)
        assert bound + SLACK >= raw


@pytest.mark.parametrize("days_left", [29, 30, 31])
def test_both_indexes_judge_a_permit_ending_around_the_start_day_as_the_engine_does(days_left):
    start = builders.AS_OF + timedelta(days=30)
    job = builders.vacancy(start_date=start)
    uzbek = builders.seeker(
        citizenships=frozenset({"UZ"}),
        work_rights=MappingProxyType({"KZ": builders.AS_OF + timedelta(days=days_left)}),
    )
    engine = score(uzbek, job, builders.REF).eligible

    by_seekers = SeekerIndex.build([uzbek]).row_scores(job, builders.REF)
    by_vacancies = VacancyIndex.build([job]).row_scores(uzbek, builders.REF)

    assert engine is (days_left >= 30)
    assert by_seekers.eligible.tolist() == by_vacancies.eligible.tolist() == [engine]
