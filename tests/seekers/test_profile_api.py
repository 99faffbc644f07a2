"""GET/PUT/PATCH /api/v1/profile/: the seeker's own profile with skills and languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import User
from seekers.models import SeekerLanguage, SeekerProfile, SeekerSkill
from tests.seekers.factories import profile_body, skill

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/profile/"


def test_a_seeker_without_a_profile_gets_404_with_a_hint(as_user, seeker: User):
    response = as_user(seeker).get(PROFILE)
    assert response.status_code == 404
    assert "PUT" in response.json()["detail"]


def test_the_first_put_creates_the_profile_with_skills_and_languages(as_user, seeker: User):
    response = as_user(seeker).put(PROFILE, profile_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "+77011234567"
    assert body["region"] == "KZ-79" and body["citizenships"] == ["KZ"]
    assert body["visibility"] == "hidden" and body["visible_to_employers"] is False
    assert body["consent_given_at"] is None and body["cv"] is None
    assert {s["label"] for s in body["skills"]} == {"Welding", "Manual metal arc welding"}
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.salary_amount == Decimal("450000.00") and profile.salary_currency_id == "KZT"
    assert profile.employment_types == ["full_time", "rotational"]
    assert list(profile.desired_occupations.values_list("code", flat=True)) == ["7212"]
    assert dict(profile.skills.values_list("skill__uri", "years")) == {
        "urn:borderless:skill:welding": 8,
        "urn:borderless:skill:arc-welding": 0,
    }
    assert dict(profile.languages.values_list("language_id", "level")) == {
        "ru": "C1",
        "kk": "native",
    }


def test_get_returns_the_profile_after_it_was_created(as_user, seeker: User):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    response = api.get(PROFILE)
    assert response.status_code == 200
    assert response.json()["headline"] == "Сварщик на вахту"
    assert len(response.json()["languages"]) == 2


def test_a_second_put_replaces_the_lists_it_sends(as_user, seeker: User):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    body = profile_body(
        headline="Сварщик-аргонщик",
        skills=[{"skill": skill("tig-welding").pk, "level": 5, "years": 2}],
    )
    del body["languages"]
    response = api.put(PROFILE, body, format="json")
    assert response.status_code == 200, response.content
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.headline == "Сварщик-аргонщик"
    assert list(profile.skills.values_list("skill__uri", flat=True)) == [
        "urn:borderless:skill:tig-welding"
    ]
    # the languages were left out, so they stay
    assert profile.languages.count() == 2


def test_patch_changes_only_what_it_sends(as_user, seeker: User):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    response = api.patch(PROFILE, {"city": "Туркестан", "languages": []}, format="json")
    assert response.status_code == 200, response.content
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.city == "Туркестан" and profile.headline == "Сварщик на вахту"
    assert profile.skills.count() == 2 and profile.languages.count() == 0


def test_patch_before_the_profile_exists_is_404(as_user, seeker: User):
    assert as_user(seeker).patch(PROFILE, {"city": "Алматы"}, format="json").status_code == 404
    assert not SeekerProfile.objects.exists()


def test_listed_mobility_needs_and_keeps_its_countries(as_user, seeker: User):
    api = as_user(seeker)
    refused = api.put(PROFILE, profile_body(mobility_scope="listed"), format="json")
    assert refused.status_code == 400
    assert "mobility_countries" in refused.json()
    response = api.put(
        PROFILE,
        profile_body(
            mobility_scope="listed", mobility_countries=["RU"], mobility_regions=["KG-GB"]
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["mobility_countries"] == ["RU"]
    # a scope that lists nothing clears the lists
    api.patch(PROFILE, {"mobility_scope": "eaeu"}, format="json")
    profile = SeekerProfile.objects.get(user=seeker)
    assert not profile.mobility_countries.exists() and not profile.mobility_regions.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "RU-MOW"}, "region"),
        ({"salary_currency": "XYZ"}, "salary_currency"),
        ({"salary_amount": "0"}, "salary_amount"),
        ({"salary_amount": "-1500.00"}, "salary_amount"),
        ({"desired_occupations": ["72"]}, "desired_occupations"),
        ({"desired_occupations": ["9999"]}, "desired_occupations"),
        ({"languages": [{"language": "ru", "level": "D1"}]}, "languages"),
        ({"languages": [{"language": "xx", "level": "B1"}]}, "languages"),
        ({"skills": [{"skill": 987654321, "level": 3}]}, "skills"),
        ({"skills": [{"skill": "welding", "level": 3}]}, "skills"),
        ({"employment_types": ["freelance"]}, "employment_types"),
        ({"citizenships": []}, "citizenships"),
        ({"country": "ZZ"}, "country"),
        ({"phone": "call me maybe"}, "phone"),
        ({"visibility": "all"}, "visibility"),
        ({"visibility": "everyone"}, "visibility"),
        ({"hidden_from_employer_ids": [987654321]}, "hidden_from_employer_ids"),
        ({"hidden_from_employer_ids": [0]}, "hidden_from_employer_ids"),
        ({"mobility_countries": ["RU"]}, "mobility_countries"),
    ],
)
def test_bad_input_is_400_with_the_field_named_and_nothing_saved(
    as_user, seeker: User, overrides, field
):
    response = as_user(seeker).put(PROFILE, profile_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not SeekerProfile.objects.exists()


@pytest.mark.parametrize("level", [0, 6])
def test_a_skill_level_outside_1_to_5_is_refused(as_user, seeker: User, level):
    body = profile_body(skills=[{"skill": skill("welding").pk, "level": level}])
    response = as_user(seeker).put(PROFILE, body, format="json")
    assert response.status_code == 400
    assert "level" in response.json()["skills"]["0"]
    assert not SeekerSkill.objects.exists()


def test_a_failed_nested_write_leaves_the_previous_profile(as_user, seeker: User):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    welding = skill("welding").pk
    response = api.patch(
        PROFILE,
        {
            "headline": "Новый заголовок",
            "languages": [{"language": "en", "level": "B1"}],
            "skills": [{"skill": welding, "level": 5}, {"skill": welding, "level": 2}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "skills" in response.json()
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.headline == "Сварщик на вахту"
    assert profile.skills.count() == 2
    assert set(SeekerLanguage.objects.values_list("language_id", flat=True)) == {"ru", "kk"}


def test_visibility_by_country_needs_consent_and_countries(
    as_user, seeker: User, employer, rival: User
):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    api.post("/api/v1/profile/consent/")
    missing = api.patch(PROFILE, {"visibility": "countries"}, format="json")
    assert missing.status_code == 400 and "visible_in_countries" in missing.json()
    response = api.patch(
        PROFILE,
        {
            "visibility": "countries",
            "visible_in_countries": ["KZ", "RU"],
            "hidden_from_employer_ids": [employer.pk, employer.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["visible_to_employers"] is True
    assert response.json()["hidden_from_employer_ids"] == [employer.pk]
    profile = SeekerProfile.objects.get(user=seeker)
    assert sorted(profile.visible_in_countries.values_list("code", flat=True)) == ["KZ", "RU"]


@pytest.mark.parametrize("who", ["owner", "recruiter", "reviewer", "admin_user"])
def test_other_roles_may_not_use_the_profile_endpoints(request, as_user, who):
    api = as_user(request.getfixturevalue(who))
    assert api.get(PROFILE).status_code == 403
    assert api.put(PROFILE, profile_body(), format="json").status_code == 403
    assert api.get("/api/v1/profile/skills/").status_code == 403
    assert api.get("/api/v1/profile/export/").status_code == 403
    assert not SeekerProfile.objects.exists()


def test_an_anonymous_caller_is_401(api):
    assert api.get(PROFILE).status_code == 401
    assert api.get("/api/v1/profile/cv/").status_code == 401


def test_reading_a_profile_takes_a_fixed_number_of_queries(
    as_user, seeker: User, django_assert_max_num_queries
):
    api = as_user(seeker)
    api.put(PROFILE, profile_body(), format="json")
    with django_assert_max_num_queries(12):
        assert api.get(PROFILE).status_code == 200
