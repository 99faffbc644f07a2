"""What employers may find and see: SeekerProfile.objects.visible_to_employer and
profile_public_view."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import User
from seekers import services
from seekers.models import SeekerProfile, Visibility
from seekers.selectors import profile_public_view
from tests.factories import UserFactory
from tests.seekers.factories import make_profile, pdf_bytes

pytestmark = pytest.mark.django_db

IDENTITY_KEYS = {"full_name", "email", "phone", "cv"}


def _visible(employer_id: int, country: str) -> set[int]:
    return set(
        SeekerProfile.objects.visible_to_employer(
            employer_id=employer_id, employer_country=country
        ).values_list("pk", flat=True)
    )


def _seeker(name: str) -> User:
    return UserFactory.create(email=f"{name}@example.kz", role="seeker")


@pytest.fixture
def cast_of_profiles(employer) -> dict[str, SeekerProfile]:
    return {
        "all": make_profile(_seeker("all"), visibility=Visibility.ALL_EMPLOYERS),
        "anonymous": make_profile(_seeker("anon"), visibility=Visibility.ANONYMOUS),
        "kz_only": make_profile(
            _seeker("kz"), visibility=Visibility.COUNTRIES, visible_in=("KZ", "KG")
        ),
        "ru_only": make_profile(_seeker("ru"), visibility=Visibility.COUNTRIES, visible_in=("RU",)),
        "hidden": make_profile(_seeker("hidden")),
        "blocks_caspian": make_profile(
            _seeker("blocks"),
            visibility=Visibility.ALL_EMPLOYERS,
            hidden_from_employer_ids=[employer.pk],
        ),
        "withdrawn": services.consent_withdraw(
            profile=make_profile(_seeker("withdrawn"), visibility=Visibility.ALL_EMPLOYERS)
        ),
    }


def test_a_kazakh_employer_finds_all_anonymous_and_kazakh_only_profiles(cast_of_profiles, employer):
    expected = {cast_of_profiles[k].pk for k in ("all", "anonymous", "kz_only")}
    assert _visible(employer.pk, "KZ") == expected


def test_a_russian_employer_finds_russian_only_and_blocking_profiles(cast_of_profiles, rival):
    rival_employer_id = rival.employer_memberships.get().employer_id
    expected = {cast_of_profiles[k].pk for k in ("all", "anonymous", "ru_only", "blocks_caspian")}
    assert _visible(rival_employer_id, "RU") == expected


def test_no_employer_ever_finds_a_hidden_or_withdrawn_profile(cast_of_profiles, employer):
    for country in ("KZ", "RU", "KG", "AM", "BY", "UZ"):
        found = _visible(employer.pk + 1000, country)
        assert cast_of_profiles["hidden"].pk not in found
        assert cast_of_profiles["withdrawn"].pk not in found


def test_a_deactivated_account_is_not_found(employer):
    profile = make_profile(_seeker("gone"), visibility=Visibility.ALL_EMPLOYERS)
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    assert _visible(employer.pk, "KZ") == set()


def test_a_profile_with_many_chosen_countries_is_found_once(employer):
    profile = make_profile(
        _seeker("many"), visibility=Visibility.COUNTRIES, visible_in=("KZ", "KG", "RU", "AM")
    )
    found = SeekerProfile.objects.visible_to_employer(
        employer_id=employer.pk, employer_country="KZ"
    )
    assert list(found.values_list("pk", flat=True)) == [profile.pk]


def _view(profile: SeekerProfile, *, reveal_identity: bool) -> dict[str, Any]:
    loaded = SeekerProfile.objects.for_public_view().get(pk=profile.pk)
    return profile_public_view(loaded, reveal_identity=reveal_identity)


def _with_cv(profile: SeekerProfile) -> SeekerProfile:
    services.cv_upload(
        profile=profile,
        file=SimpleUploadedFile("Айгерим.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    return profile


@pytest.mark.parametrize("reveal_identity", [True, False])
def test_an_anonymous_profile_never_shows_identity_or_current_employer(
    seeker: User, reveal_identity
):
    profile = _with_cv(make_profile(seeker, visibility=Visibility.ANONYMOUS, experience=True))
    view = _view(profile, reveal_identity=reveal_identity)
    assert view["anonymous"] is True
    assert IDENTITY_KEYS.isdisjoint(view)
    text = json.dumps(view, cls=JSONEncoder, ensure_ascii=False)
    for secret in (
        seeker.full_name,
        "Нурланова",
        seeker.email,
        "77015551234",
        "Секретный Работодатель",
        "Айгерим.pdf",
    ):
        assert secret not in text
    current = [e for e in view["experience"] if e["is_current"]]
    assert current and "employer_name" not in current[0]
    past = [e for e in view["experience"] if not e["is_current"]]
    assert past[0]["employer_name"] == "ТОО «Тенгиз Монтаж»"
    assert view["skills"] and view["has_cv"] is True


def test_a_visible_profile_shows_identity_only_when_revealed(seeker: User):
    profile = _with_cv(make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS, experience=True))
    hidden = _view(profile, reveal_identity=False)
    assert IDENTITY_KEYS.isdisjoint(hidden)
    assert "Секретный Работодатель" not in json.dumps(hidden, cls=JSONEncoder, ensure_ascii=False)
    shown = _view(profile, reveal_identity=True)
    assert shown["anonymous"] is False
    assert shown["full_name"] == "Айгерим Нурланова"
    assert shown["email"] == "seeker.a@example.kz"
    assert shown["phone"] == "+77015551234"
    assert shown["cv"]["name"] == "Айгерим.pdf"
    assert {e["employer_name"] for e in shown["experience"]} == {
        "ТОО «Тенгиз Монтаж»",
        "АО «Секретный Работодатель»",
    }


def _queries_for_public_views() -> int:
    with CaptureQueriesContext(connection) as queries:
        views = [
            profile_public_view(p, reveal_identity=True)
            for p in SeekerProfile.objects.for_public_view()
        ]
    assert all(view["skills"] and view["experience"] for view in views)
    return len(queries)


def test_public_views_take_the_same_queries_for_two_profiles_or_six():
    for n in range(2):
        make_profile(_seeker(f"p{n}"), visibility=Visibility.ALL_EMPLOYERS, experience=True)
    for_two = _queries_for_public_views()
    for n in range(2, 6):
        make_profile(_seeker(f"p{n}"), visibility=Visibility.ALL_EMPLOYERS, experience=True)
    assert _queries_for_public_views() == for_two
