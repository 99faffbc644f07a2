"""What each component is worth: skills, occupation, languages, salary and the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matching.engine.records import (
    EmploymentType,
    LanguageRequirement,
    MobilityScope,
    Reason,
    Salary,
    SalaryPeriod,
    Weights,
)
from matching.engine.scoring import score
from tests.matching.engine.builders import (
    AS_OF,
    BLUEPRINTS,
    FIRST_AID,
    FORKLIFT,
    REF,
    TIG_WELDING,
    WELDING,
    component,
    seeker,
    skills,
    vacancy,
)

# --- skills ---------------------------------------------------------------------------


def test_a_skill_above_the_level_asked_counts_in_full_and_no_more():
    expert = seeker(skills=skills(WELDING=5))

    assert component(score(expert, vacancy(required_skills={WELDING: 3}), REF), "skills") == 1.0


def test_a_skill_below_the_level_asked_counts_in_proportion():
    novice = seeker(skills=skills(WELDING=2))

    assert component(score(novice, vacancy(required_skills={WELDING: 4}), REF), "skills") == 0.5


def test_a_narrower_skill_counts_for_half_of_the_broader_one_asked():
    tig = seeker(skills=skills(TIG_WELDING=4))

    result = score(tig, vacancy(required_skills={WELDING: 4}), REF)

    assert component(result, "skills") == 0.5
    assert result.missing_skills == ()


def test_a_broader_skill_counts_for_half_of_the_narrower_one_asked():
    generalist = seeker(skills=skills(WELDING=4))

    assert (
        component(score(generalist, vacancy(required_skills={TIG_WELDING: 4}), REF), "skills")
        == 0.5
    )


def test_a_sibling_skill_earns_nothing():
    mig = seeker(skills=skills(MIG_WELDING=5))

    result = score(mig, vacancy(required_skills={TIG_WELDING: 3}), REF)

    assert component(result, "skills") == 0.0
    assert result.missing_skills == (TIG_WELDING,)


def test_the_better_of_the_skill_itself_and_a_related_one_counts():
    weak_but_related = seeker(skills=skills(WELDING=1, TIG_WELDING=5))

    assert (
        component(score(weak_but_related, vacancy(required_skills={WELDING: 4}), REF), "skills")
        == 0.5
    )


def test_optional_skills_add_less_than_required_ones():
    asked = vacancy(required_skills={WELDING: 3}, optional_skills={FIRST_AID: 4})

    required_only = component(score(seeker(skills=skills(WELDING=3)), asked, REF), "skills")
    optional_only = component(score(seeker(skills=skills(FIRST_AID=4)), asked, REF), "skills")
    both = component(score(seeker(skills=skills(WELDING=3, FIRST_AID=4)), asked, REF), "skills")

    assert required_only == 3 / (3 + 0.25 * 4)
    assert optional_only == 0.25 * 4 / (3 + 0.25 * 4)
    assert both == 1.0


def test_missing_skills_are_the_required_ones_without_any_credit():
    welder = seeker(skills=skills(WELDING=4))
    asked = vacancy(
        required_skills={WELDING: 3, FORKLIFT: 2, TIG_WELDING: 3}, optional_skills={FIRST_AID: 2}
    )

    result = score(welder, asked, REF)

    # TIG welding is partly met through welding; first aid is only optional.
    assert result.missing_skills == (FORKLIFT,)


def test_a_vacancy_that_asks_no_skills_gives_everyone_full_marks_for_skills():
    nobody = seeker(skills={})

    assert component(score(nobody, vacancy(required_skills={}), REF), "skills") == 1.0


# --- occupation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("desired", "value"),
    [
        ({"7212"}, 1.0),  # the same unit group
        ({"7213"}, 0.6),  # the same minor group, 721
        ({"7221"}, 0.3),  # the same sub-major group, 72
        ({"8332"}, 0.0),
        (set(), 0.0),
        ({"8332", "7213", "7221"}, 0.6),  # the best of them
    ],
)
def test_occupation_follows_the_isco_hierarchy(desired, value):
    result = score(seeker(desired_occupations=frozenset(desired)), vacancy(occupation="7212"), REF)

    assert component(result, "occupation") == value


# --- languages ------------------------------------------------------------------------


def test_a_language_below_the_level_asked_counts_in_proportion():
    b1 = seeker(languages={"ru": 3})

    result = score(b1, vacancy(languages={"ru": LanguageRequirement(4)}), REF)

    assert result.eligible
    assert component(result, "languages") == 0.75


def test_a_hard_language_requirement_unmet_filters_the_seeker_out():
    b1 = seeker(languages={"ru": 3})

    result = score(b1, vacancy(languages={"ru": LanguageRequirement(4, hard=True)}), REF)

    assert not result.eligible
    assert result.reasons == (Reason("language_required", {"language": "ru", "level": 4}),)


def test_a_native_speaker_meets_any_level():
    native = seeker(languages={"ru": 7})

    result = score(native, vacancy(languages={"ru": LanguageRequirement(6, hard=True)}), REF)

    assert result.eligible
    assert component(result, "languages") == 1.0


def test_languages_weigh_by_the_level_asked():
    russian_only = seeker(languages={"ru": 4})
    asked = vacancy(languages={"ru": LanguageRequirement(4), "en": LanguageRequirement(2)})

    assert component(score(russian_only, asked, REF), "languages") == 4 / 6


# --- salary -----------------------------------------------------------------------------


def test_an_offer_at_or_above_the_expectation_gets_full_credit():
    result = score(seeker(salary=Salary(500_000.0, "KZT")), vacancy(), REF)

    assert component(result, "salary") == 1.0


def test_a_salary_far_below_expectation_in_another_currency_gets_nothing():
    bishkek = seeker(
        citizenships=frozenset({"KG"}),
        country="KG",
        region="KG-GB",
        mobility_scope=MobilityScope.EAEU,
        salary=Salary(1_500.0, "USD", gross=False),
    )
    low = vacancy(salary_min=150_000.0, salary_max=200_000.0)  # about 390 US dollars
    fair = vacancy(salary_min=900_000.0, salary_max=1_400_000.0)

    poor, good = score(bishkek, low, REF), score(bishkek, fair, REF)

    assert component(poor, "salary") == 0.0
    assert component(good, "salary") == 1.0
    assert poor.score < good.score


def test_an_offer_somewhat_below_expectation_decays_linearly():
    wish = seeker(salary=Salary(500_000.0, "KZT"))

    result = score(wish, vacancy(salary_max=450_000.0), REF)

    assert component(result, "salary") == pytest.approx(1 - 2 * (1 - 450_000 / 500_000))


def test_hourly_pay_is_compared_as_173_hours_a_month():
    hourly = seeker(salary=Salary(3_000.0, "KZT", SalaryPeriod.HOUR))

    result = score(hourly, vacancy(salary_max=500_000.0), REF)

    assert component(result, "salary") == pytest.approx(1 - 2 * (1 - 500_000 / (3_000 * 173)))


def test_a_net_expectation_is_grossed_up_by_the_stated_factor():
    net = seeker(salary=Salary(400_000.0, "KZT", gross=False))

    result = score(net, vacancy(salary_max=420_000.0), REF)

    expected_gross = 400_000 / Weights().net_share
    assert component(result, "salary") == pytest.approx(1 - 2 * (1 - 420_000 / expected_gross))


def test_purchasing_power_compares_what_the_offer_buys_where_it_is_spent():
    bishkek = seeker(
        citizenships=frozenset({"KG"}),
        country="KG",
        region="KG-GB",
        mobility_scope=MobilityScope.EAEU,
        salary=Salary(60_000.0, "KGS"),
    )
    almaty = vacancy(salary_min=250_000.0, salary_max=300_000.0)

    ppp = component(score(bishkek, almaty, REF), "salary")
    market = component(score(bishkek, almaty, REF, Weights(use_ppp=False)), "salary")

    at_market = (300_000 / 512.0) / (60_000 / 87.4)
    in_ppp = (300_000 / 512.0 * (512.0 / 180.0)) / (60_000 / 87.4 * (87.4 / 25.5))
    assert market == pytest.approx(1 - 2 * (1 - at_market))
    assert ppp == pytest.approx(1 - 2 * (1 - in_ppp))
    assert ppp < market  # prices are higher in Almaty than in Bishkek


def test_a_salary_that_cannot_be_compared_scores_in_the_middle():
    euros = seeker(salary=Salary(2_000.0, "EUR"))  # no EUR rate in the reference data

    assert component(score(euros, vacancy(), REF), "salary") == 0.5
    assert (
        component(score(seeker(), vacancy(salary_min=None, salary_max=None), REF), "salary") == 0.5
    )


def test_a_seeker_without_an_expectation_is_content_with_any_offer():
    assert component(score(seeker(salary=None), vacancy(), REF), "salary") == 1.0


# --- experience, employment type, availability --------------------------------------------


def test_experience_counts_up_to_the_minimum_asked():
    assert (
        component(
            score(seeker(experience_years=5), vacancy(min_experience_years=10), REF), "experience"
        )
        == 0.5
    )
    assert (
        component(
            score(seeker(experience_years=12), vacancy(min_experience_years=10), REF), "experience"
        )
        == 1.0
    )
    assert (
        component(
            score(seeker(experience_years=0), vacancy(min_experience_years=0), REF), "experience"
        )
        == 1.0
    )


def test_the_employment_type_must_be_one_the_seeker_wants():
    part_time = seeker(employment_types=frozenset({EmploymentType.PART_TIME}))
    open_minded = seeker(employment_types=frozenset())

    assert component(score(part_time, vacancy(), REF), "employment") == 0.0
    assert (
        component(
            score(part_time, vacancy(employment_type=EmploymentType.PART_TIME), REF), "employment"
        )
        == 1.0
    )
    assert component(score(open_minded, vacancy(), REF), "employment") == 1.0


def test_availability_falls_with_the_days_after_the_start():
    start = AS_OF + timedelta(days=10)

    on_time = seeker(available_from=AS_OF)
    late = seeker(available_from=start + timedelta(days=45))
    far_too_late = seeker(available_from=start + timedelta(days=200))

    assert component(score(on_time, vacancy(start_date=start), REF), "availability") == 1.0
    assert component(score(late, vacancy(start_date=start), REF), "availability") == 0.5
    assert component(score(far_too_late, vacancy(start_date=start), REF), "availability") == 0.0


def test_a_start_date_in_the_past_counts_from_today():
    ready_in_30_days = seeker(available_from=AS_OF + timedelta(days=30))

    result = score(ready_in_30_days, vacancy(start_date=AS_OF - timedelta(days=100)), REF)

    assert component(result, "availability") == pytest.approx(1 - 30 / 90)


def test_blueprints_are_just_another_skill_here():
    # The builders' welder also reads blueprints; asking for it alongside welding
    # weighs each by the level asked.
    asked = vacancy(required_skills={WELDING: 3, BLUEPRINTS: 5})

    assert component(score(seeker(), asked, REF), "skills") == (3 + 3) / (3 + 5)
