"""What a result says: a score that its components add up to, the same every time."""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings

from matching.engine.records import COMPONENT_KEYS, ENGINE_VERSION, Weights
from matching.engine.scoring import rank, score
from tests.matching.engine import strategies
from tests.matching.engine.builders import REF, seeker, skills, vacancy

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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.seekers(1), strategies.vacancies())
def test_the_components_add_up_to_the_score_to_the_tenth(someone, job):
    for weights in (Weights(), ODD_WEIGHTS):
        result = score(someone, job, strategies.REF, weights)

        assert [c.key for c in result.components] == list(COMPONENT_KEYS)
        assert [c.weight for c in result.components] == list(weights.component_weights())
        assert all(0.0 <= c.value <= 1.0 for c in result.components)
        assert sum(round(c.points * 10) for c in result.components) == round(result.score * 10)
        assert all(abs(c.points - c.weight * c.value) <= 0.1 for c in result.components)
        assert 0.0 <= result.score <= 100.0
        assert result.score == round(result.score, 1)


def test_a_perfect_match_scores_100():
    result = score(seeker(), vacancy(), REF)

    assert result.score == 100.0
    assert [c.points for c in result.components] == list(Weights().component_weights())


def test_the_same_pair_always_gets_the_same_result():
    first = score(seeker(), vacancy(), REF)
    reordered = seeker(skills=MappingProxyType(dict(reversed(list(seeker().skills.items())))))

    assert score(seeker(), vacancy(), REF) == first
    assert score(reordered, vacancy(), REF) == first


def test_ranking_orders_by_score_then_by_id():
    twins = [seeker(id=i) for i in (7, 3, 5)]
    weaker = seeker(id=1, skills=skills(WELDING=1))

    ranked = rank([*twins, weaker], vacancy(), REF, k=10)

    assert [r.seeker_id for r in ranked] == [3, 5, 7, 1]


def test_ranking_leaves_out_those_filtered_out_and_stops_at_k():
    foreigner = seeker(id=2, citizenships=frozenset({"UZ"}))
    people = [seeker(id=i) for i in (4, 5, 6)] + [foreigner]

    ranked = rank(people, vacancy(), REF, k=2)

    assert [r.seeker_id for r in ranked] == [4, 5]


def test_a_filtered_out_pair_still_explains_its_score():
    foreigner = seeker(citizenships=frozenset({"UZ"}))

    result = score(foreigner, vacancy(), REF)

    assert not result.eligible
    assert result.score == 100.0
    assert len(result.components) == len(COMPONENT_KEYS)


def test_the_result_records_which_engine_and_weights_made_it():
    result = score(seeker(), vacancy(), REF, ODD_WEIGHTS)

    assert result.version == f"{ENGINE_VERSION}+test-odd"


def test_other_weights_give_other_scores():
    half_skilled = seeker(skills=skills(WELDING=1))
    skills_first = replace(
        Weights(), version="skills-first", skills=70.0, occupation=0.0, location=0.0
    )

    default = score(half_skilled, vacancy(), REF).score
    heavier = score(half_skilled, vacancy(), REF, skills_first).score

    assert heavier < default


def test_weights_that_do_not_add_up_to_100_are_refused():
    with pytest.raises(ValueError, match="sum to 100"):
        Weights(skills=50.0)


def test_the_result_turns_into_plain_json():
    result = score(seeker(citizenships=frozenset({"UZ"})), vacancy(), REF)

    data = json.loads(json.dumps(result.as_json()))

    assert data["eligible"] is False
    assert data["reasons"] == [{"key": "work_permit_required", "params": {"country": "KZ"}}]
    assert data["components"][0] == {"key": "skills", "weight": 40.0, "value": 1.0, "points": 40.0}
    assert set(data) == {
        "score",
        "eligible",
        "reasons",
        "flags",
        "components",
        "missing_skills",
        "version",
    }
