"""Employers search candidates only as the seekers' visibility allows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from matching.filters import CandidateFilter
from seekers import services as seeker_services
from seekers.models import ContactAccess, SeekerProfile, Visibility
from taxonomy.models import Country
from tests.factories import UserFactory
from tests.seekers.factories import make_profile, skill

pytestmark = pytest.mark.django_db

URL = "/api/v1/employer/candidates/"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(seeker: User, other_seeker: User) -> dict[str, SeekerProfile]:
    """Seekers with every kind of visibility; the searching employer is in Kazakhstan."""

    def person(email: str, **kwargs: Any) -> SeekerProfile:
        return make_profile(
            UserFactory.create(email=email, full_name=email.split("@")[0]), **kwargs
        )

    return {
        "open": make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS, experience=True),
        "anonymous": make_profile(other_seeker, visibility=Visibility.ANONYMOUS, experience=True),
        "kz_only": person("kz.only@example.kg", country="KG", region="KG-GB", citizenships=("KG",),
                          visibility=Visibility.COUNTRIES, visible_in=("KZ",)),
        "ru_only": person("ru.only@example.kg", country="KG", region="KG-GB", citizenships=("KG",),
                          visibility=Visibility.COUNTRIES, visible_in=("RU",)),
        "hidden": person("hidden@example.kz"),
    }  # fmt: skip


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_employer_finds_only_the_profiles_visible_to_it(
    api: APIClient, owner: User, rival: User, world
):
    api.force_authenticate(owner)  # a Kazakh employer
    assert _ids(api.get(URL)) == {world["open"].id, world["anonymous"].id, world["kz_only"].id}
    api.force_authenticate(rival)  # a Russian employer
    assert _ids(api.get(URL)) == {world["open"].id, world["anonymous"].id, world["ru_only"].id}


def test_a_profile_hidden_from_an_employer_never_reaches_it(
    api: APIClient, owner: User, employer, world
):
    seeker_services.profile_update(profile=world["open"], hidden_from_employer_ids=[employer.pk])
    api.force_authenticate(owner)
    assert world["open"].id not in _ids(api.get(URL))
    assert api.get(f"{URL}{world['open'].id}/").status_code == 404


def test_withdrawn_consent_takes_the_profile_out_of_search(api: APIClient, recruiter: User, world):
    seeker_services.consent_withdraw(profile=world["kz_only"])
    api.force_authenticate(recruiter)
    assert world["kz_only"].id not in _ids(api.get(URL))


def test_lists_and_details_show_no_name_contacts_or_current_employer(
    api: APIClient, owner: User, world
):
    api.force_authenticate(owner)
    body = (
        api.get(URL).content.decode() + api.get(f"{URL}{world['anonymous'].id}/").content.decode()
    )
    for secret in (
        "seeker.a@example.kz",
        "Айгерим",
        "seeker.b@example.kg",
        "Азамат",
        "+7 701 555 12 34",
        "Секретный",
    ):
        assert secret not in body
    assert "Тенгиз Монтаж" in body  # a past employer is part of the experience


def test_opening_contacts_shows_them_and_is_logged_for_the_seeker(
    api: APIClient, recruiter: User, employer, world
):
    api.force_authenticate(recruiter)
    response = api.post(f"{URL}{world['open'].id}/contacts/")
    assert response.status_code == 200
    assert response.json()["email"] == "seeker.a@example.kz"
    assert response.json()["full_name"] == "Айгерим Нурланова"
    log = ContactAccess.objects.get(profile=world["open"])
    assert (log.employer_id, log.employer_name, log.viewed_by) == (
        employer.pk,
        employer.name,
        recruiter,
    )

    api.force_authenticate(world["open"].user)
    entries = api.get("/api/v1/profile/contact-log/").json()
    rows = entries["results"] if isinstance(entries, dict) else entries
    assert [row["employer_name"] for row in rows] == [employer.name]


def test_an_anonymous_profiles_contacts_stay_closed(api: APIClient, owner: User, world):
    api.force_authenticate(owner)
    response = api.post(f"{URL}{world['anonymous'].id}/contacts/")
    assert response.status_code == 403
    assert "anonymous" in response.json()["detail"]
    assert "seeker.b@example.kg" not in response.content.decode()
    assert not ContactAccess.objects.exists()
    assert api.get(f"{URL}{world['anonymous'].id}/cv/").status_code == 403


@pytest.mark.parametrize("who", ["seeker", "reviewer", None])
def test_only_employer_members_search_candidates(api: APIClient, request, who, world):
    api.force_authenticate(request.getfixturevalue(who) if who else None)
    assert api.get(URL).status_code == (401 if who is None else 403)
    assert api.post(f"{URL}{world['open'].id}/contacts/").status_code in (401, 403)


def test_an_employer_account_without_an_employer_is_refused(api: APIClient, world):
    lonely = UserFactory.create(email="new@firm.kz", role="employer")
    api.force_authenticate(lonely)
    assert api.get(URL).status_code == 403


def _filter(data: dict[str, str], employer_country: str = "KZ", employer_id: int = 1) -> set[int]:
    queryset = SeekerProfile.objects.visible_to_employer(
        employer_id=employer_id, employer_country=employer_country
    )
    filterset = CandidateFilter(data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("id", flat=True))


def test_the_candidate_filters(world):
    welder = world["open"]
    it = make_profile(
        UserFactory.create(email="dev@example.am"),
        country="AM", region="AM-ER", citizenships=("AM",), occupations=("2512",),
        skills=(("python", 5), ("django", 4)), languages=(("hy", "native"), ("ru", "B2"), ("en", "C1")),
        visibility=Visibility.ALL_EMPLOYERS, accepts_rotational=False, available_from=date(2027, 3, 1),
        salary_amount=900000, salary_currency=Country.objects.get(code="AM").currency,
        mobility_scope="eaeu",
    )  # fmt: skip
    assert _filter({"occupation": "72"}) == {welder.id, world["anonymous"].id, world["kz_only"].id}
    assert _filter({"occupation": "2512"}) == {it.id}
    python, django = skill("python").id, skill("django").id
    assert _filter({"skills": f"{python},{skill('welding').id}"}) >= {it.id, welder.id}
    assert (
        _filter({"skills": f"{python},{django}", "skills_all": "true", "skill_level": "5"}) == set()
    )
    assert _filter({"skills": f"{python},{django}", "skills_all": "true", "skill_level": "4"}) == {
        it.id
    }
    assert _filter({"language": "en", "language_level": "B2"}) == {it.id}
    assert _filter({"language": "en", "language_level": "C2"}) == set()
    assert it.id not in _filter({"available_by": "2027-01-01"})
    assert it.id in _filter({"available_by": "2027-03-01"})
    assert _filter({"country": "AM"}) == {it.id}
    assert _filter({"citizenship": "KG"}) == {world["kz_only"].id}
    assert _filter({"q": "Сварщик"}) >= {welder.id}


def test_salary_expectation_is_compared_after_conversion(world):
    dev = make_profile(
        UserFactory.create(email="dev2@example.am"),
        country="AM", region="AM-ER", citizenships=("AM",), visibility=Visibility.ALL_EMPLOYERS,
        salary_amount=385000, salary_currency=Country.objects.get(code="AM").currency,  # ≈ 1,000 USD
    )  # fmt: skip
    assert dev.id in _filter({"salary_max": "1000", "salary_currency": "USD"})
    assert dev.id not in _filter({"salary_max": "990", "salary_currency": "USD"})
    # 1,000 USD ≈ 521,000 KZT at the seeded rate
    assert dev.id in _filter({"salary_max": "522000", "salary_currency": "KZT"})
    filterset = CandidateFilter({"salary_max": "1000"}, queryset=SeekerProfile.objects.all())
    assert not filterset.is_valid()
    assert "salary_currency" in filterset.errors


def test_can_work_in_needs_mobility_and_the_right_to_work(world):
    kazakh = make_profile(
        UserFactory.create(email="astana@example.kz"),
        visibility=Visibility.ALL_EMPLOYERS,
        mobility_scope="eaeu",
    )
    uzbek = make_profile(
        UserFactory.create(email="tashkent@example.uz"), citizenships=("UZ",),
        visibility=Visibility.ALL_EMPLOYERS, mobility_scope="anywhere",
    )  # fmt: skip
    stays = make_profile(
        UserFactory.create(email="stays@example.kz"),
        visibility=Visibility.ALL_EMPLOYERS,
        mobility_scope="region",
    )
    in_russia = _filter({"can_work_in": "RU"}, employer_country="RU")
    assert kazakh.id in in_russia  # an EAEU citizen needs no permit
    assert uzbek.id not in in_russia  # no permit, not an EAEU citizen
    assert stays.id not in in_russia
    assert stays.id in _filter({"can_work_in": "KZ"})


def test_bad_filter_values_are_400_with_field_messages(api: APIClient, owner: User, world):
    api.force_authenticate(owner)
    response = api.get(
        URL, {"salary_max": "lots", "skill_level": "9", "language_level": "D1", "country": "XX"}
    )
    assert response.status_code == 400
    assert {"salary_max", "skill_level", "language_level", "country"} <= set(response.json())
