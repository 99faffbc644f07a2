"""Who may take the job: citizenship, the EAEU treaty, permits, local-only, diplomas."""

from __future__ import annotations

from datetime import timedelta

from matching.engine.records import Eligibility, MobilityScope, Reason
from matching.engine.scoring import score
from tests.matching.engine.builders import AS_OF, REF, reasons, seeker, vacancy


def test_a_citizen_of_the_vacancy_country_is_eligible_without_any_flag():
    result = score(seeker(), vacancy(), REF)

    assert result.eligible
    assert result.reasons == ()
    assert "work_permit_sponsored" not in result.flags
    assert "eaeu_treaty" not in result.flags


def test_a_citizen_of_another_member_state_needs_no_permit_under_the_treaty():
    kyrgyz = seeker(
        citizenships=frozenset({"KG"}),
        country="KG",
        region="KG-GB",
        mobility_scope=MobilityScope.EAEU,
    )

    result = score(kyrgyz, vacancy(), REF)

    assert result.eligible
    assert "eaeu_treaty" in result.flags
    assert "work_permit_sponsored" not in result.flags


def test_a_permit_holder_may_work_where_the_permit_is_valid():
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": AS_OF + timedelta(days=200)})

    result = score(uzbek, vacancy(), REF)

    assert result.eligible
    assert result.flags == ()


def test_a_permit_without_an_end_date_counts():
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": None})

    assert score(uzbek, vacancy(), REF).eligible


def test_an_expired_permit_filters_the_seeker_out_and_says_until_when_it_ran():
    until = AS_OF - timedelta(days=1)
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": until})

    result = score(uzbek, vacancy(), REF)

    assert not result.eligible
    assert result.reasons == (
        Reason("work_permit_expired", {"country": "KZ", "valid_until": until.isoformat()}),
    )


def test_a_permit_that_ends_before_the_work_starts_does_not_count():
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": AS_OF + timedelta(days=10)})
    later = vacancy(start_date=AS_OF + timedelta(days=30))

    assert score(uzbek, vacancy(), REF).eligible
    assert reasons(score(uzbek, later, REF)) == ["work_permit_expired"]


def test_a_permit_for_another_country_does_not_count():
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"RU": None})

    result = score(uzbek, vacancy(), REF)

    assert result.reasons == (Reason("work_permit_required", {"country": "KZ"}),)


def test_a_citizen_of_a_non_member_needs_a_permit_for_a_vacancy_open_to_eaeu_citizens():
    uzbek = seeker(citizenships=frozenset({"UZ"}))

    result = score(uzbek, vacancy(eligibility=Eligibility.EAEU), REF)

    assert not result.eligible
    assert result.reasons == (Reason("work_permit_required", {"country": "KZ"}),)


def test_a_citizen_of_a_non_member_is_eligible_where_the_employer_sponsors_a_permit():
    uzbek = seeker(citizenships=frozenset({"UZ"}))

    result = score(uzbek, vacancy(eligibility=Eligibility.ANYONE), REF)

    assert result.eligible
    assert "work_permit_sponsored" in result.flags


def test_sponsorship_is_not_flagged_for_someone_who_needs_no_permit():
    result = score(seeker(), vacancy(eligibility=Eligibility.ANYONE), REF)

    assert "work_permit_sponsored" not in result.flags


def test_a_local_only_vacancy_admits_a_citizen_who_lives_there():
    assert score(seeker(), vacancy(eligibility=Eligibility.LOCAL), REF).eligible


def test_a_local_only_vacancy_rejects_a_citizen_who_lives_abroad():
    abroad = seeker(country="RU", region="RU-MOW", mobility_scope=MobilityScope.ANYWHERE)

    result = score(abroad, vacancy(eligibility=Eligibility.LOCAL), REF)

    assert result.reasons == (Reason("local_residents_only", {"country": "KZ"}),)


def test_a_local_only_vacancy_admits_a_resident_permit_holder():
    resident = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": None})

    assert score(resident, vacancy(eligibility=Eligibility.LOCAL), REF).eligible


def test_a_local_only_vacancy_admits_a_resident_citizen_of_another_member():
    # Treaty art. 97: no restriction protecting the national labour market applies.
    resident = seeker(citizenships=frozenset({"KG"}))

    assert score(resident, vacancy(eligibility=Eligibility.LOCAL), REF).eligible


def test_a_local_only_vacancy_rejects_a_resident_without_the_right_to_work():
    resident = seeker(citizenships=frozenset({"UZ"}))

    result = score(resident, vacancy(eligibility=Eligibility.LOCAL), REF)

    assert reasons(result) == ["work_permit_required"]


def test_a_nurse_crossing_a_border_is_eligible_but_needs_her_diploma_recognised():
    nurse = seeker(
        citizenships=frozenset({"KG"}),
        country="KG",
        region="KG-GB",
        mobility_scope=MobilityScope.EAEU,
        desired_occupations=frozenset({"2221"}),
    )

    result = score(nurse, vacancy(occupation="2221"), REF)

    assert result.eligible
    assert "diploma_recognition_needed" in result.flags


def test_a_nurse_at_home_needs_no_recognition():
    nurse = seeker(desired_occupations=frozenset({"2221"}))

    result = score(nurse, vacancy(occupation="2221"), REF)

    assert "diploma_recognition_needed" not in result.flags


def test_teaching_and_law_are_regulated_too_and_the_vacancy_may_say_otherwise():
    foreigner = seeker(citizenships=frozenset({"RU"}))

    teacher = score(foreigner, vacancy(occupation="2341"), REF)
    lawyer = score(foreigner, vacancy(occupation="2611"), REF)
    welder = score(foreigner, vacancy(occupation="7212"), REF)
    not_regulated = score(foreigner, vacancy(occupation="2341", regulated=False), REF)

    assert "diploma_recognition_needed" in teacher.flags
    assert "diploma_recognition_needed" in lawyer.flags
    assert "diploma_recognition_needed" not in welder.flags
    assert "diploma_recognition_needed" not in not_regulated.flags


def test_a_permit_that_ends_on_the_day_work_starts_still_counts():
    start = AS_OF + timedelta(days=30)
    uzbek = seeker(citizenships=frozenset({"UZ"}), work_rights={"KZ": start})

    assert score(uzbek, vacancy(start_date=start), REF).eligible
