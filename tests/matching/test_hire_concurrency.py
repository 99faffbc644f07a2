"""Fifty "hire" requests at once on the same application make exactly one placement.

Each request runs in its own thread with its own database connection, through the
API with the owner's token, against data that is really committed: the row lock in
``application_move`` is what makes the others wait and then find the application
hired (a 409), never a second placement and never a 500.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Role
from matching.applications import application_apply, application_move
from matching.models import Application, ApplicationStatus, Placement, PlacementEvent
from seekers.models import Visibility
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.seekers.factories import make_profile
from tests.vacancies.factories import in_days, post_vacancy

pytestmark = pytest.mark.usefixtures("committed_db")

S = ApplicationStatus
REQUESTS = 50


def test_fifty_simultaneous_hires_make_one_placement_and_the_others_are_conflicts() -> None:
    employer = EmployerFactory.create(name="ТОО «Каспий Сервис»", country_id="KZ")
    owner = MemberFactory.create(employer=employer, role="owner", user__email="owner@x.kz").user
    seeker = UserFactory.create(email="welder@example.kg", role=Role.SEEKER)
    profile = make_profile(
        seeker,
        visibility=Visibility.ALL_EMPLOYERS,
        country="KG",
        region="KG-GB",
        citizenships=("KG",),
    )
    application = application_apply(profile=profile, vacancy=post_vacancy(by=owner), by=seeker)
    for to in (S.ACCEPTED, S.INTERVIEW, S.OFFER):
        application = application_move(application=application, to=to, by=owner)
    token = AuthToken.objects.create(user=owner)[1]
    url = f"/api/v1/employer/applications/{application.pk}/move/"
    body = {"status": S.HIRED, "start_date": in_days(14).isoformat()}

    start = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def hire() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait(timeout=30)
            response: Any = client.post(url, body, format="json")
            with lock:
                statuses.append(response.status_code)
        except BaseException as exc:  # a thread's error must reach the test
            with lock:
                failures.append(exc)
        finally:
            # Each thread opened its own connection: close it, or the flush after the
            # test waits on it (and the server counts it against its limit).
            connection.close()

    threads = [threading.Thread(target=hire) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert not any(thread.is_alive() for thread in threads)
    assert Counter(statuses) == {200: 1, 409: REQUESTS - 1}
    assert Placement.objects.count() == 1
    placement = Placement.objects.get()
    assert placement.application_id == application.pk
    assert PlacementEvent.objects.filter(placement=placement).count() == 1
    assert Application.objects.get(pk=application.pk).status == S.HIRED
    assert application.events.filter(to_status=S.HIRED).count() == 1
