from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from seekers.models import SeekerProfile
from tests.seekers.factories import make_profile


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Each test stores CV files in a folder of its own, so it can see what is on disk."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def as_user(api: APIClient):
    """The API client signed in as someone (None: anonymous)."""

    def sign_in(user: User | None) -> APIClient:
        api.force_authenticate(user)
        return api

    return sign_in


@pytest.fixture
def profile(seeker: User) -> SeekerProfile:
    """The seeker's profile: a welder in Almaty, hidden, no consent yet."""
    return make_profile(seeker)


@pytest.fixture
def other_profile(other_seeker: User) -> SeekerProfile:
    return make_profile(
        other_seeker,
        country="KG",
        region="KG-GB",
        citizenships=("KG",),
        skills=(("welding", 2),),
        experience=True,
    )
