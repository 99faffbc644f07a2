"""Where the seeker would work: scope, remote work, work mode, rotation, distance."""

from __future__ import annotations

from matching.engine.records import (
    Eligibility,
    EmploymentType,
    MobilityScope,
    Reason,
    RemotePreference,
    WorkMode,
)
from matching.engine.scoring import score
from tests.matching.engine.builders import REF, component, reasons, seeker, vacancy

ASTANA = {"region": "KZ-71"}
MOSCOW = {"country": "RU", "region": "RU-MOW", "salary_currency": "RUB"}


def test_a_seeker_who_stays_in_their_region_matches_work_there():
    homebody = seeker(mobility_scope=MobilityScope.REGION)

    result = score(homebody, vacancy(), REF)

    assert result.eligible
    assert component(result, "location") == 1.0
    assert "relocation_needed" not in result.flags


def test_a_seeker_who_stays_in_their_region_is_filtered_out_of_another_region():
    homebody = seeker(mobility_scope=MobilityScope.REGION)

    result = score(homebody, vacancy(**ASTANA), REF)

    assert result.reasons == (
        Reason("outside_mobility_scope", {"scope": "region", "region": "KZ-71"}),
    )


def test_country_scope_covers_the_country_and_nothing_beyond():
    anywhere_at_home = seeker(mobility_scope=MobilityScope.COUNTRY)

    assert score(anywhere_at_home, vacancy(**ASTANA), REF).eligible
    assert reasons(score(anywhere_at_home, vacancy(**MOSCOW), REF)) == ["outside_mobility_scope"]


def test_listed_scope_covers_the_listed_countries_and_regions_and_home():
    picky = seeker(
        mobility_scope=MobilityScope.LISTED,
        mobility_countries=frozenset({"RU"}),
        mobility_regions=frozenset({"KZ-23"}),
    )

    assert score(picky, vacancy(), REF).eligible  # home region
    assert score(picky, vacancy(**MOSCOW), REF).eligible
    assert score(picky, vacancy(region="KZ-23"), REF).eligible
    assert not score(picky, vacancy(**ASTANA), REF).eligible


def test_eaeu_scope_covers_every_member_state_but_not_beyond():
    mover = seeker(mobility_scope=MobilityScope.EAEU)

    assert score(mover, vacancy(**MOSCOW), REF).eligible
    tashkent = vacancy(country="UZ", region="UZ-TK", eligibility=Eligibility.ANYONE)
    assert reasons(score(mover, tashkent, REF)) == ["outside_mobility_scope"]


def test_anywhere_scope_covers_a_non_member_state():
    mover = seeker(mobility_scope=MobilityScope.ANYWHERE, citizenships=frozenset({"KZ", "UZ"}))

    assert score(mover, vacancy(country="UZ", region="UZ-TK"), REF).eligible


def test_remote_work_open_to_the_seekers_country_needs_no_move():
    bishkek = seeker(
        citizenships=frozenset({"KG"}),
        country="KG",
        region="KG-GB",
        mobility_scope=MobilityScope.REGION,
    )
    remote = vacancy(work_mode=WorkMode.REMOTE, remote_countries=frozenset({"KZ", "KG"}))

    result = score(bishkek, remote, REF)

    assert result.eligible
    assert component(result, "location") == 1.0
    assert "relocation_needed" not in result.flags


def test_remote_work_open_only_to_other_countries_is_like_work_on_site():
    bishkek = seeker(country="KG", region="KG-GB", mobility_scope=MobilityScope.REGION)
    only_kazakhstan = vacancy(work_mode=WorkMode.REMOTE, remote_countries=frozenset({"KZ"}))
    no_list = vacancy(work_mode=WorkMode.REMOTE)  # an empty list means its own country

    assert reasons(score(bishkek, only_kazakhstan, REF)) == ["outside_mobility_scope"]
    assert reasons(score(bishkek, no_list, REF)) == ["outside_mobility_scope"]


def test_a_remote_only_seeker_takes_no_work_on_site_or_hybrid():
    remote_only = seeker(remote_preference=RemotePreference.REMOTE_ONLY)

    on_site = score(remote_only, vacancy(), REF)
    hybrid = score(remote_only, vacancy(work_mode=WorkMode.HYBRID), REF)
    remote = score(remote_only, vacancy(work_mode=WorkMode.REMOTE), REF)

    assert on_site.reasons == (Reason("remote_work_only", {"work_mode": "on_site"}),)
    assert reasons(hybrid) == ["remote_work_only"]
    assert remote.eligible


def test_a_seeker_who_wants_an_office_takes_hybrid_work_but_not_remote_work():
    office = seeker(remote_preference=RemotePreference.ON_SITE)

    assert score(office, vacancy(work_mode=WorkMode.HYBRID), REF).eligible
    assert reasons(score(office, vacancy(work_mode=WorkMode.REMOTE), REF)) == ["on_site_work_only"]


def test_rotational_work_is_only_for_those_willing():
    rotation = vacancy(employment_type=EmploymentType.ROTATIONAL, region="KZ-23")
    unwilling = seeker(accepts_rotational=False)
    willing = seeker(accepts_rotational=True)

    assert reasons(score(unwilling, rotation, REF)) == ["rotational_unwilling"]
    assert score(willing, rotation, REF).eligible


def test_location_decays_with_the_distance_between_region_centres():
    almaty = seeker()

    here = component(score(almaty, vacancy(), REF), "location")
    konaev = component(score(almaty, vacancy(region="KZ-19"), REF), "location")  # ~70 km
    astana = component(score(almaty, vacancy(**ASTANA), REF), "location")  # ~970 km
    atyrau = component(score(almaty, vacancy(region="KZ-23"), REF), "location")  # ~2,000 km

    assert here == 1.0
    assert here > konaev > astana > atyrau > 0.0


def test_a_nearby_region_within_commuting_distance_needs_no_move():
    result = score(seeker(), vacancy(region="KZ-19"), REF)

    assert "relocation_needed" not in result.flags


def test_relocation_help_raises_the_location_value_for_a_seeker_who_must_move():
    bare = score(seeker(), vacancy(**ASTANA), REF)
    helped = score(
        seeker(),
        vacancy(
            **ASTANA, relocation_travel=True, relocation_housing=True, relocation_registration=True
        ),
        REF,
    )

    assert "relocation_needed" in bare.flags
    assert component(helped, "location") > component(bare, "location")


def test_relocation_help_changes_nothing_for_a_seeker_who_stays():
    bare = score(seeker(), vacancy(), REF)
    helped = score(seeker(), vacancy(relocation_housing=True), REF)

    assert component(helped, "location") == component(bare, "location") == 1.0


def test_an_unknown_region_counts_as_a_move_at_a_middling_distance():
    nowhere = seeker(region=None)

    result = score(nowhere, vacancy(), REF)

    assert component(result, "location") == 0.5
    assert "relocation_needed" in result.flags


def test_every_reason_is_listed_not_only_the_first():
    stuck = seeker(
        citizenships=frozenset({"UZ"}),
        mobility_scope=MobilityScope.REGION,
        remote_preference=RemotePreference.REMOTE_ONLY,
    )

    result = score(stuck, vacancy(**ASTANA, employment_type=EmploymentType.ROTATIONAL), REF)

    assert reasons(result) == [
        "remote_work_only",
        "outside_mobility_scope",
        "rotational_unwilling",
        "work_permit_required",
    ]
