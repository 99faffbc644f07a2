"""The fixed cast of the test suite and the shared set-up.

The test database gets the reference data once per session; each test runs in a
transaction that is rolled back, so the taxonomy stays for the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Role, User
from config import celery as celery_config
from taxonomy.services import taxonomy_load
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from vacancies.models import Employer


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        taxonomy_load()


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    # Throttle counters live in Redis; each test starts with none.
    cache.clear()
    # A test that took the broker down leaves no "broker is down" pause behind.
    celery_config._broker_down_until = 0.0


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def seeker(db: Any) -> User:
    return UserFactory.create(
        email="seeker.a@example.kz", role=Role.SEEKER, full_name="Айгерим Нурланова"
    )


@pytest.fixture
def other_seeker(db: Any) -> User:
    return UserFactory.create(
        email="seeker.b@example.kg", role=Role.SEEKER, full_name="Азамат Токтогулов"
    )


@pytest.fixture
def employer(db: Any) -> Employer:
    return EmployerFactory.create(name="ТОО «Каспий Сервис»", country_id="KZ")


@pytest.fixture
def owner(employer: Any) -> User:
    return MemberFactory.create(
        employer=employer, role="owner", user__email="owner@caspian.kz"
    ).user


@pytest.fixture
def recruiter(employer: Any) -> User:
    return MemberFactory.create(
        employer=employer, role="recruiter", user__email="hr@caspian.kz"
    ).user


@pytest.fixture
def rival(db: Any) -> User:
    rival_employer = EmployerFactory.create(name="ООО «Сибирь Нефть»", country_id="RU")
    return MemberFactory.create(
        employer=rival_employer, role="owner", user__email="hr@sibir.ru"
    ).user


@pytest.fixture
def reviewer(db: Any) -> User:
    return UserFactory.create(email="reviewer@borderless.test", role=Role.REVIEWER)


@pytest.fixture
def admin_user(db: Any) -> User:
    return UserFactory.create(
        email="admin@borderless.test", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


# --- Tests whose commits another process (a Celery worker) must see ---------------


@pytest.fixture(scope="module")
def _taxonomy_restored(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield
    # The last committed test's flush emptied the reference data that the session
    # loaded once; the modules after this one count on it.
    with django_db_blocker.unblock():
        taxonomy_load()


@pytest.fixture
def committed_db(transactional_db: Any, _taxonomy_restored: None) -> None:
    """A database that really commits, so a worker process sees the test's writes.

    Such a test ends by emptying every table (the reference data too): each test gets
    the reference data loaded again (a no-op when it is there), and the module leaves
    it loaded for the modules after it.
    """
    taxonomy_load()
