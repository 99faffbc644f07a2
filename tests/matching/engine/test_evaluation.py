"""The evaluation set's hard cases get the verdicts the rules call for.

The cases come from bench/eval_set.py: real places, real occupations, the same
seekers in more than one vacancy. These tests pin verdicts a user would notice (who is
filtered out and why, the flags, a salary value), not the nDCG figures.
"""

from __future__ import annotations

import pytest

from bench.eval_set import (
    AINURA,
    ALMATY_NURSE,
    ATYRAU_WELDER,
    BISHKEK_ACCOUNTANT,
    GULNARA,
    HARD_CASES,
    JASUR,
    MINSK_DRIVER,
    MOSCOW_WELDER,
    OSH_ACCOUNTANT,
    QUERIES,
    REF,
    SERGEI,
    HardCase,
    Query,
    candidate,
    query,
)
from bench.evaluation import baseline_ranking, engine_ranking, ndcg
from matching.engine.records import MatchResult, Reason, SeekerFeatures
from matching.engine.scoring import score
from tests.matching.engine.builders import component, reasons


def judge(seeker: SeekerFeatures, vacancy_query: Query) -> MatchResult:
    return score(seeker, vacancy_query.vacancy, REF)


# --- who may work there ------------------------------------------------------------


def test_an_uzbek_welder_is_filtered_out_of_a_job_open_only_to_eaeu_citizens():
    result = judge(JASUR, ATYRAU_WELDER)

    assert not result.eligible
    assert result.reasons == (Reason("work_permit_required", {"country": "KZ"}),)


def test_the_same_uzbek_welder_is_eligible_where_the_employer_sponsors_a_permit():
    result = judge(JASUR, MOSCOW_WELDER)

    assert result.eligible
    assert "work_permit_sponsored" in result.flags
    assert "eaeu_treaty" not in result.flags


def test_a_kyrgyz_nurse_may_work_in_kazakhstan_with_her_diploma_flagged_for_recognition():
    result = judge(AINURA, ALMATY_NURSE)

    assert result.eligible
    assert result.flags == ("diploma_recognition_needed", "eaeu_treaty", "relocation_needed")


def test_a_kazakh_nurse_in_kazakhstan_needs_no_recognition_of_her_diploma():
    result = judge(candidate(ALMATY_NURSE.key, 302).seeker, ALMATY_NURSE)

    assert result.eligible
    assert result.flags == ()


def test_a_russian_patent_does_not_let_a_tajik_driver_work_in_belarus():
    result = judge(candidate(MINSK_DRIVER.key, 611).seeker, MINSK_DRIVER)

    assert result.reasons == (Reason("work_permit_required", {"country": "BY"}),)


def test_a_local_residents_only_vacancy_filters_out_a_treaty_citizen_from_shymkent():
    result = judge(candidate(OSH_ACCOUNTANT.key, 803).seeker, OSH_ACCOUNTANT)

    assert reasons(result) == ["local_residents_only"]
    assert "eaeu_treaty" in result.flags


# --- who will go there -------------------------------------------------------------


def test_an_accountant_who_stays_in_the_osh_region_is_filtered_out_of_a_bishkek_job():
    result = judge(GULNARA, BISHKEK_ACCOUNTANT)

    assert result.reasons == (
        Reason("outside_mobility_scope", {"scope": "region", "region": "KG-GB"}),
    )


def test_the_same_accountant_is_eligible_and_top_ranked_for_a_job_in_osh():
    result = judge(GULNARA, OSH_ACCOUNTANT)

    assert result.eligible
    assert component(result, "location") == 1.0
    assert engine_ranking(OSH_ACCOUNTANT)[0][0].seeker.id == GULNARA.id


# --- pay -----------------------------------------------------------------------------


def test_belarusian_pay_far_below_a_moscow_drivers_expectation_leaves_him_eligible_with_no_salary_credit():
    result = judge(SERGEI, MINSK_DRIVER)

    assert result.eligible
    assert component(result, "salary") == 0.0
    assert component(result, "skills") > 0.9


def test_the_low_salary_costs_the_moscow_driver_places_against_local_drivers():
    order = [c.seeker.id for c, _ in engine_ranking(MINSK_DRIVER)]

    assert order.index(SERGEI.id) > order.index(602)
    assert order.index(SERGEI.id) > order.index(603)


# --- the set as a whole --------------------------------------------------------------


@pytest.mark.parametrize("case", HARD_CASES, ids=lambda case: case.name)
def test_each_listed_hard_case_gets_its_expected_verdict(case: HardCase):
    result = judge(candidate(case.query, case.seeker_id).seeker, query(case.query))
    values = {c.key: c.value for c in result.components}

    assert result.eligible == case.eligible
    assert tuple(r.key for r in result.reasons) == case.reasons
    assert set(case.flags) <= set(result.flags)
    assert not set(case.absent_flags) & set(result.flags)
    assert all(values[key] <= bound for key, bound in case.at_most.items())
    assert all(values[key] >= bound for key, bound in case.at_least.items())


@pytest.mark.parametrize("vacancy_query", QUERIES, ids=lambda q: q.key)
def test_every_query_has_12_to_20_distinct_candidates_with_grades_0_to_3(vacancy_query: Query):
    ids = [c.seeker.id for c in vacancy_query.candidates]

    assert 12 <= len(ids) <= 20
    assert len(set(ids)) == len(ids)
    assert {c.grade for c in vacancy_query.candidates} <= {0, 1, 2, 3}
    assert all(c.why for c in vacancy_query.candidates)


@pytest.mark.parametrize("vacancy_query", QUERIES, ids=lambda q: q.key)
def test_a_candidate_the_engine_filters_out_is_one_the_recruiter_would_not_put_forward(
    vacancy_query: Query,
):
    filtered = [c for c, result in engine_ranking(vacancy_query) if not result.eligible]

    assert [c.grade for c in filtered] == [0] * len(filtered)


def test_the_engine_ranks_the_filtered_out_after_every_eligible_candidate():
    for vacancy_query in QUERIES:
        eligible = [result.eligible for _, result in engine_ranking(vacancy_query)]

        assert eligible == sorted(eligible, reverse=True)


# --- the measure ---------------------------------------------------------------------


def test_ndcg_is_one_for_the_ideal_order_and_less_for_any_other():
    assert ndcg([3, 2, 1, 0]) == 1.0
    assert ndcg([0, 1, 2, 3]) < ndcg([3, 1, 2, 0]) < 1.0


def test_ndcg_uses_exponential_gain_and_a_log2_discount():
    # DCG of [1, 3] is 1/log2(2) + 7/log2(3); the ideal [3, 1] gives 7 + 1/log2(3).
    expected = (1 + 7 / 1.5849625007211562) / (7 + 1 / 1.5849625007211562)

    assert ndcg([1, 3]) == pytest.approx(expected)


def test_ndcg_counts_only_the_first_k_ranks():
    assert ndcg([0, 0, 3], k=2) == 0.0
    assert ndcg([3, 0, 0, 1], k=2) == pytest.approx(7.0 / (7.0 + 1.0 / 1.5849625007211562))


def test_the_keyword_baseline_ignores_the_hard_filters():
    ranked = [c.seeker.id for c in baseline_ranking(ATYRAU_WELDER)]

    assert JASUR.id in ranked[:5]
