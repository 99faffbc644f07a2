from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, User
from tests.factories import UserFactory


@pytest.fixture
def as_user(api: APIClient):
    """The API client signed in as someone (None: anonymous)."""

    def sign_in(user: User | None) -> APIClient:
        api.force_authenticate(user)
        return api

    return sign_in


@pytest.fixture
def newcomer(db: Any) -> User:
    """An employer account that belongs to no employer yet."""
    return UserFactory.create(email="newcomer@caspian.kz", role=Role.EMPLOYER)
