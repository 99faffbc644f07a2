"""Schemathesis against our own OpenAPI schema (/api/schema/), once per role: every
operation gets a few generated requests (valid by the schema, deterministic), and no
answer is a server error or breaks the schema it documents.

Each request runs in a transaction that is rolled back, so a generated DELETE or
erasure does not change what the next request meets. Bounded: ``EXAMPLES`` requests per
operation and role, no shrinking; every operation is called for every role (none is
left out), and each failure names the operation, the role and the request.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import Role, User
from seekers.models import Visibility
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.django_db

EXAMPLES = 2
ROLES = ("anonymous", "seeker", "employer_owner", "reviewer", "admin")
CHECKS = [not_a_server_error, response_schema_conformance]


def _cast() -> dict[str, User]:
    seeker = UserFactory.create(email="st.seeker@example.kz", role=Role.SEEKER)
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS, experience=True)
    employer = EmployerFactory.create(name="ТОО «Схема»", country_id="KZ")
    owner = MemberFactory.create(employer=employer, role="owner", user__email="st.owner@x.kz").user
    post_vacancy(by=owner, title="Сварщик")
    return {
        "seeker": seeker,
        "employer_owner": owner,
        "reviewer": UserFactory.create(email="st.reviewer@borderless.test", role=Role.REVIEWER),
        "admin": UserFactory.create(
            email="st.admin@borderless.test", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }


def _run(operation: Any, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        cache.clear()  # the throttles would answer 429 before the view is reached
        with transaction.atomic():
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, FailureGroup) as exc:  # every failure is reported, not the first
                failures.append(
                    f"{operation.label} → {response.status_code}: {str(exc)[:600]}\n"
                    f"    {case.as_curl_command()[:400]}"
                )
            transaction.set_rollback(True)

    try:
        call()
    except Unsatisfiable:
        failures.append(f"{operation.label}: no valid request could be generated")
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(role: str):
    users = _cast()
    headers: dict[str, str] = {}
    if role != "anonymous":
        headers["Authorization"] = f"Token {AuthToken.objects.create(user=users[role])[1]}"
    failures: list[str] = []
    # As Django's test client does: the test's connection (and its transaction) stays
    # open across the requests the WSGI app serves in this thread.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [cast(Any, result).ok() for result in schema.get_all_operations()]
        assert len(operations) > 100  # the whole API, not a part of it
        for operation in operations:
            failures += _run(operation, headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert failures == [], "\n".join(failures)
