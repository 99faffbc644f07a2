"""POST/DELETE /api/v1/profile/consent/: consent to processing, withdrawable."""

from __future__ import annotations

import pytest

from accounts.models import User
from seekers.models import SeekerProfile, Visibility
from tests.seekers.factories import make_profile

pytestmark = pytest.mark.django_db

CONSENT = "/api/v1/profile/consent/"


def test_giving_consent_records_the_time_and_keeps_the_first_one(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    first = api.post(CONSENT)
    assert first.status_code == 200
    assert first.json()["consent_given_at"] is not None
    profile.refresh_from_db()
    given_at = profile.consent_given_at
    assert given_at is not None
    again = api.post(CONSENT)
    assert again.status_code == 200
    profile.refresh_from_db()
    assert profile.consent_given_at == given_at


def test_withdrawing_consent_hides_the_profile(as_user, seeker: User, employer):
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    assert SeekerProfile.objects.visible_to_employer(
        employer_id=employer.pk, employer_country="KZ"
    ).exists()
    response = as_user(seeker).delete(CONSENT)
    assert response.status_code == 200
    assert response.json()["visibility"] == "hidden"
    assert response.json()["visible_to_employers"] is False
    profile.refresh_from_db()
    assert profile.consent_given_at is None and profile.consent_withdrawn_at is not None
    assert profile.visibility == Visibility.HIDDEN
    assert not SeekerProfile.objects.visible_to_employer(
        employer_id=employer.pk, employer_country="KZ"
    ).exists()


def test_after_withdrawal_the_profile_cannot_be_shown_until_consent_is_given_again(
    as_user, seeker: User
):
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    api = as_user(seeker)
    api.delete(CONSENT)
    refused = api.patch("/api/v1/profile/", {"visibility": "all"}, format="json")
    assert refused.status_code == 400 and "visibility" in refused.json()
    api.post(CONSENT)
    shown = api.patch("/api/v1/profile/", {"visibility": "all"}, format="json")
    assert shown.status_code == 200
    assert SeekerProfile.objects.get(user=seeker).consent_withdrawn_at is None


def test_consent_needs_a_profile(as_user, seeker: User):
    assert as_user(seeker).post(CONSENT).status_code == 404
    assert as_user(seeker).delete(CONSENT).status_code == 404
