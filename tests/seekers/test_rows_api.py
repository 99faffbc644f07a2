"""The profile's rows: /api/v1/profile/skills/, languages/, experience/, education/,
work-rights/ — each seeker's own, someone else's row is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from seekers.models import (
    Education,
    Experience,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    WorkRight,
)
from tests.seekers.factories import skill

pytestmark = pytest.mark.django_db

BASE = "/api/v1/profile/"


def _today():
    return timezone.localdate()


def test_a_seeker_adds_changes_and_removes_a_skill(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    created = api.post(
        f"{BASE}skills/", {"skill": skill("tig-welding").pk, "level": 2, "years": 1}, format="json"
    )
    assert created.status_code == 201, created.content
    row_id = created.json()["id"]
    assert created.json()["label"] == "TIG welding"
    changed = api.patch(f"{BASE}skills/{row_id}/", {"level": 4}, format="json")
    assert changed.status_code == 200
    assert SeekerSkill.objects.get(pk=row_id).level == 4
    listed = api.get(f"{BASE}skills/").json()
    assert {row["label"] for row in listed} == {
        "Welding",
        "Manual metal arc welding",
        "TIG welding",
    }
    assert api.delete(f"{BASE}skills/{row_id}/").status_code == 204
    assert not SeekerSkill.objects.filter(pk=row_id).exists()


def test_a_row_change_marks_the_profile_changed_for_matching(as_user, profile: SeekerProfile):
    before = profile.updated_at
    as_user(profile.user).post(
        f"{BASE}skills/", {"skill": skill("tig-welding").pk, "level": 2}, format="json"
    )
    profile.refresh_from_db()
    assert profile.updated_at > before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"skill": 987654321}, "skill"),
        ({"skill": "welding"}, "skill"),
        ({"years": 61}, "years"),
    ],
)
def test_a_bad_skill_row_is_400_with_the_field(as_user, profile: SeekerProfile, body, field):
    response = as_user(profile.user).post(
        f"{BASE}skills/", {"skill": skill("tig-welding").pk, "level": 3} | body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert profile.skills.count() == 2


def test_the_same_skill_twice_is_refused(as_user, profile: SeekerProfile):
    response = as_user(profile.user).post(
        f"{BASE}skills/", {"skill": skill("welding").pk, "level": 1}, format="json"
    )
    assert response.status_code == 400
    assert "already listed" in response.json()["skill"][0]


def test_a_row_needs_a_profile_first(as_user, seeker: User):
    response = as_user(seeker).post(
        f"{BASE}skills/", {"skill": skill("welding").pk, "level": 1}, format="json"
    )
    assert response.status_code == 404
    assert not SeekerSkill.objects.exists()


def test_languages_take_a_cefr_level_or_native(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    created = api.post(f"{BASE}languages/", {"language": "en", "level": "A2"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "English"
    bad = api.post(f"{BASE}languages/", {"language": "de", "level": "A3"}, format="json")
    assert bad.status_code == 400 and "level" in bad.json()
    unknown = api.post(f"{BASE}languages/", {"language": "qq", "level": "A1"}, format="json")
    assert unknown.status_code == 400 and "language" in unknown.json()
    assert set(profile.languages.values_list("language_id", flat=True)) == {"ru", "kk", "en"}


def test_experience_without_an_end_is_the_current_job(as_user, profile: SeekerProfile):
    response = as_user(profile.user).post(
        f"{BASE}experience/",
        {
            "employer_name": "  ТОО «КазМунайМонтаж»  ",
            "title": "Сварщик",
            "country": "KZ",
            "occupation": "7212",
            "start_date": "2021-04-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_current"] is True
    row = Experience.objects.get(profile=profile)
    assert row.employer_name == "ТОО «КазМунайМонтаж»" and row.end_date is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2021-04-01", "end_date": "2021-03-31"}, "end_date"),
        ({"occupation": "72"}, "occupation"),
        ({"occupation": "721"}, "occupation"),
        ({"country": "XX"}, "country"),
        ({"employer_name": "   "}, "employer_name"),
        ("future", "start_date"),
    ],
)
def test_bad_experience_is_400_with_the_field(as_user, profile: SeekerProfile, body, field):
    if body == "future":
        body = {"start_date": (_today() + timedelta(days=3)).isoformat()}
    payload = {"employer_name": "ТОО «Арна»", "country": "KZ", "start_date": "2020-01-01"} | body
    response = as_user(profile.user).post(f"{BASE}experience/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Experience.objects.exists()


def test_an_experience_update_is_checked_like_a_new_row(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    row = api.post(
        f"{BASE}experience/",
        {"employer_name": "ТОО «Арна»", "country": "KZ", "start_date": "2020-01-01"},
        format="json",
    ).json()
    response = api.patch(
        f"{BASE}experience/{row['id']}/", {"end_date": "2019-12-31"}, format="json"
    )
    assert response.status_code == 400 and "end_date" in response.json()
    assert Experience.objects.get(pk=row["id"]).end_date is None


def test_education_is_recorded_by_isced_level(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    response = api.post(
        f"{BASE}education/",
        {
            "level": 4,
            "field_of_study": "Сварочное производство",
            "institution": "Алматинский политехнический колледж",
            "country": "KZ",
            "year": 2015,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Education.objects.get(profile=profile).level == 4
    for bad, field in (({"level": 9}, "level"), ({"year": 1901}, "year")):
        body = {"level": 6, "institution": "КазНТУ", "country": "KZ"} | bad
        refused = api.post(f"{BASE}education/", body, format="json")
        assert refused.status_code == 400 and field in refused.json()
    assert Education.objects.count() == 1


def test_work_rights_record_permits_and_refuse_expired_ones(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    valid = (_today() + timedelta(days=365)).isoformat()
    response = api.post(
        f"{BASE}work-rights/",
        {"country": "RU", "kind": "residence_permit", "valid_until": valid},
        format="json",
    )
    assert response.status_code == 201, response.content
    twice = api.post(
        f"{BASE}work-rights/",
        {"country": "RU", "kind": "residence_permit", "valid_until": valid},
        format="json",
    )
    assert twice.status_code == 400 and "country" in twice.json()
    expired = api.post(
        f"{BASE}work-rights/",
        {"country": "BY", "kind": "work_permit", "valid_until": "2020-01-01"},
        format="json",
    )
    assert expired.status_code == 400 and "valid_until" in expired.json()
    wrong_kind = api.post(f"{BASE}work-rights/", {"country": "BY", "kind": "visa"}, format="json")
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()
    assert list(WorkRight.objects.values_list("country_id", "kind")) == [("RU", "residence_permit")]


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("skills", SeekerSkill),
        ("languages", SeekerLanguage),
        ("experience", Experience),
    ],
)
def test_another_seekers_rows_are_not_found(
    as_user, profile: SeekerProfile, other_profile: SeekerProfile, path, model
):
    theirs = model.objects.filter(profile=other_profile).first()
    api = as_user(profile.user)
    url = f"{BASE}{path}/{theirs.pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"level": 1, "end_date": None}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert theirs.pk not in [row["id"] for row in api.get(f"{BASE}{path}/").json()]
    assert model.objects.filter(pk=theirs.pk).exists()
    theirs_after = model.objects.get(pk=theirs.pk)
    assert getattr(theirs_after, "level", None) == getattr(theirs, "level", None)


def test_another_seekers_education_and_permits_are_not_found(
    as_user, profile: SeekerProfile, other_profile: SeekerProfile
):
    other = as_user(other_profile.user)
    education = other.post(
        f"{BASE}education/", {"level": 6, "institution": "КГТУ", "country": "KG"}, format="json"
    ).json()
    permit = other.post(
        f"{BASE}work-rights/", {"country": "RU", "kind": "work_permit"}, format="json"
    ).json()
    api = as_user(profile.user)
    for url in (f"{BASE}education/{education['id']}/", f"{BASE}work-rights/{permit['id']}/"):
        assert api.get(url).status_code == 404
        assert api.delete(url).status_code == 404
    assert Education.objects.filter(pk=education["id"]).exists()
    assert WorkRight.objects.filter(pk=permit["id"]).exists()
