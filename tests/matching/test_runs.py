"""Matching runs against the real database: what a run stores and what it marks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import User
from matching import indexes, services
from matching.announce import matches_announce
from matching.models import Kind, Match, MatchRequest, MatchRun, Standing
from seekers import services as seeker_services
from seekers.models import SeekerProfile, Visibility
from tests.factories import UserFactory
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from vacancies import services as vacancy_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()


def welder(user: User, **fields: Any) -> SeekerProfile:
    return make_profile(user, visibility=Visibility.ALL_EMPLOYERS, **fields)


def test_publishing_asks_for_a_run_in_the_outbox_with_the_change(owner: User) -> None:
    vacancy = post_vacancy(by=owner)
    request = MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert request.requested_at is not None


def test_a_vacancy_run_stores_its_eligible_candidates_ranked_with_explanations(
    owner: User, seeker: User, other_seeker: User
) -> None:
    strong = welder(seeker, skills=(("welding", 5), ("arc-welding", 4)))
    weak = welder(other_seeker, skills=(("welding", 2),))
    foreigner = welder(
        UserFactory.create(role="seeker"), citizenships=("UZ",), country="UZ", region=None
    )
    vacancy = post_vacancy(by=owner, eligibility="eaeu")

    outcome = services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)

    matches = list(Match.objects.filter(vacancy=vacancy).order_by("-score", "seeker_id"))
    assert [m.seeker_id for m in matches][:1] == [strong.pk]
    assert foreigner.pk not in {m.seeker_id for m in matches}
    top = matches[0]
    assert top.standing == Standing.CURRENT
    assert top.explanation["eligible"] is True
    assert {c["key"] for c in top.explanation["components"]} >= {"skills", "location"}
    assert top.engine_version == indexes.engine_version()
    assert outcome.created == len(matches)
    # Every new match goes to notifications once the run commits.
    assert sorted(outcome.announce) == sorted(m.pk for m in matches)
    if weak.pk in {m.seeker_id for m in matches}:
        assert Match.objects.get(vacancy=vacancy, seeker=weak).score < top.score
    assert MatchRun.objects.filter(kind=Kind.VACANCY, object_id=vacancy.pk).count() == 1


def test_running_twice_changes_nothing_and_announces_nothing_new(owner: User, seeker: User) -> None:
    welder(seeker)
    vacancy = post_vacancy(by=owner)
    first_run = services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    first = list(Match.objects.values_list("vacancy_id", "seeker_id", "score", "standing"))
    assert matches_announce(match_ids=first_run.announce) == 1

    again = services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)

    assert list(Match.objects.values_list("vacancy_id", "seeker_id", "score", "standing")) == first
    assert again.created == 0
    assert again.announce == []
    assert matches_announce(match_ids=first_run.announce) == 0


def test_closing_a_vacancy_marks_its_matches_closed_not_deleted(owner: User, seeker: User) -> None:
    welder(seeker)
    vacancy = post_vacancy(by=owner)
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    vacancy_services.vacancy_close(vacancy=vacancy, by=owner)

    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)

    assert list(Match.objects.values_list("standing", flat=True)) == [Standing.CLOSED]


def test_a_seeker_who_loses_the_skills_drops_below_the_threshold_and_is_marked(
    owner: User, seeker: User
) -> None:
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner, skills=(("welding", 3, True),))
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert Match.objects.get(seeker=profile).standing == Standing.CURRENT

    seeker_services.profile_update(
        profile=profile, skills=[], desired_occupations=[], mobility_scope="region"
    )
    services.match_now(kind=Kind.SEEKER, object_id=profile.pk)

    match = Match.objects.get(seeker=profile)
    assert match.standing in (Standing.BELOW_THRESHOLD, Standing.INELIGIBLE)


def test_withdrawing_consent_withdraws_the_seekers_matches(owner: User, seeker: User) -> None:
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)

    seeker_services.consent_withdraw(profile=profile)
    services.match_now(kind=Kind.SEEKER, object_id=profile.pk)

    assert Match.objects.get(seeker=profile).standing == Standing.WITHDRAWN


def test_a_seeker_run_finds_the_open_vacancies_for_the_seeker(owner: User, seeker: User) -> None:
    near = post_vacancy(by=owner, region="KZ-75")
    far = post_vacancy(by=owner, region="KZ-23")
    draft = post_vacancy(by=owner, publish=False)
    profile = welder(seeker)

    services.match_now(kind=Kind.SEEKER, object_id=profile.pk)

    scores = dict(Match.objects.filter(seeker=profile).values_list("vacancy_id", "score"))
    assert draft.pk not in scores
    assert scores[near.pk] > scores[far.pk] > Decimal(0)


def test_the_request_is_closed_by_its_run_and_a_second_delivery_does_nothing(
    owner: User, seeker: User
) -> None:
    welder(seeker)
    vacancy = post_vacancy(by=owner)

    first = services.match_request_process(kind=Kind.VACANCY, object_id=vacancy.pk)
    second = services.match_request_process(kind=Kind.VACANCY, object_id=vacancy.pk)

    assert (first, second) == ("matched", "nothing pending")
    assert MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk).requested_at is None
    assert MatchRun.objects.filter(object_id=vacancy.pk).count() == 1


def test_the_seekers_export_holds_their_matches_with_the_reasons(
    owner: User, seeker: User, api: Any
) -> None:
    welder(seeker)
    vacancy = post_vacancy(by=owner, title="Сварщик на Тенгиз")
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    api.force_authenticate(seeker)

    exported = api.get("/api/v1/profile/export/").json()

    assert [m["vacancy_title"] for m in exported["matches"]] == ["Сварщик на Тенгиз"]
    assert exported["matches"][0]["explanation"]["components"]


def test_erasing_the_account_erases_its_matches(
    owner: User, seeker: User, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories import PASSWORD

    welder(seeker)
    vacancy = post_vacancy(by=owner)
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    api.force_authenticate(seeker)

    with django_capture_on_commit_callbacks(execute=False):
        response = api.post("/api/v1/profile/erase/", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Match.objects.exists()
    # The run the erasure asked for finds nobody and stores nothing.
    erased = MatchRequest.objects.get(kind=Kind.SEEKER).object_id
    assert services.match_now(kind=Kind.SEEKER, object_id=erased).created == 0
    assert not Match.objects.exists()
