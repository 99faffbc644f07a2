"""The profile editor's steps: each saves what it shows, answers bad input beside the
field and keeps what was typed, and ends with a profile that can be matched."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from seekers.models import SeekerProfile, Visibility
from tests.seekers.factories import skill

pytestmark = pytest.mark.django_db


def about(client: Client) -> None:
    answer = client.post(
        "/me/profile/about/",
        {
            "headline": "Сварщик 5 разряда",
            "phone": "+996 555 123 456",
            "country": "KG",
            "region": "KG-O",
            "city": "Ош",
            "citizenships": ["KG"],
            "desired_occupations": ["7212"],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == "/me/profile/skills/"


def test_a_seeker_fills_the_profile_step_by_step(client: Client, seeker: User) -> None:
    client.force_login(seeker)
    assert client.get("/me/profile/")["Location"] == "/me/profile/about/"
    about(client)

    welding = skill("welding")
    skills = client.post(
        "/me/profile/skills/", {"skill_0": welding.label_ru, "level_0": "4"}, follow=False
    )
    languages = client.post(
        "/me/profile/languages/",
        {"language_0": "ru", "level_0": "C1", "language_1": "ky", "level_1": "native"},
    )
    mobility = client.post(
        "/me/profile/mobility/",
        {
            "mobility_scope": "eaeu",
            "remote_preference": "any",
            "accepts_rotational": "on",
            "salary_amount": "60000",
            "salary_currency": "KGS",
        },
    )
    visibility = client.post("/me/profile/visibility/", {"visibility": "all", "consent": "on"})

    assert [a["Location"] for a in (skills, languages, mobility, visibility)] == [
        "/me/profile/languages/",
        "/me/profile/mobility/",
        "/me/profile/visibility/",
        "/me/matches/",
    ]
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.city == "Ош" and profile.region_id == "KG-O"
    assert [(s.skill_id, s.level) for s in profile.skills.all()] == [(welding.pk, 4)]
    assert sorted(profile.languages.values_list("language_id", "level")) == [
        ("ky", "native"),
        ("ru", "C1"),
    ]
    assert profile.accepts_rotational and profile.salary_currency_id == "KGS"
    assert profile.visibility == Visibility.ALL_EMPLOYERS and profile.consent_given_at
    # Coming back, a step shows what is stored.
    assert 'value="Сварщик 5 разряда"' in client.get("/me/profile/about/").content.decode()


def test_a_skill_not_in_the_taxonomy_is_refused_beside_it_and_kept(
    client: Client, seeker: User
) -> None:
    client.force_login(seeker)
    about(client)

    answer = client.post("/me/profile/skills/", {"skill_0": "Жонглирование", "level_0": "5"})

    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_skill_0_errors"' in html and 'value="Жонглирование"' in html


def test_visible_to_employers_needs_consent(client: Client, seeker: User) -> None:
    client.force_login(seeker)
    about(client)

    answer = client.post("/me/profile/visibility/", {"visibility": "all"})

    assert answer.status_code == 400
    assert 'id="id_consent_errors"' in answer.content.decode()
    assert SeekerProfile.objects.get(user=seeker).visibility == Visibility.HIDDEN


def test_a_later_step_before_the_first_goes_to_the_first(client: Client, seeker: User) -> None:
    client.force_login(seeker)

    assert client.get("/me/profile/skills/")["Location"] == "/me/profile/about/"
    assert client.get("/me/profile/nonsense/").status_code == 404


def test_the_profile_editor_is_for_seekers(client: Client, owner: User) -> None:
    client.force_login(owner)

    assert client.get("/me/profile/about/").status_code == 403


def test_coming_back_to_a_step_changes_the_stored_profile(client: Client, seeker: User) -> None:
    client.force_login(seeker)
    about(client)

    answer = client.post(
        "/me/profile/about/",
        {
            "headline": "Сварщик 6 разряда",
            "country": "KG",
            "region": "KG-GB",
            "citizenships": ["KG", "RU"],
        },
    )

    assert answer.status_code == 302
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.headline == "Сварщик 6 разряда" and profile.region_id == "KG-GB"
    assert sorted(c.code for c in profile.citizenships.all()) == ["KG", "RU"]
    assert SeekerProfile.objects.filter(user=seeker).count() == 1
