from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.vacancies.factories import post_vacancy
from vacancies.models import Employer

pytestmark = pytest.mark.django_db


def test_staff_verify_employers_from_the_admin(
    client: Client, admin_user: User, employer: Employer
):
    client.force_login(admin_user)

    response = client.post(
        "/admin/vacancies/employer/",
        {"action": "verify", "_selected_action": [employer.pk]},
        follow=True,
    )

    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.verified is True


def test_the_admin_shows_vacancies_and_employers_read_only(client: Client, admin_user: User, owner):
    vacancy = post_vacancy(by=owner)
    client.force_login(admin_user)

    for url in (
        "/admin/vacancies/vacancy/",
        f"/admin/vacancies/vacancy/{vacancy.pk}/change/",
        "/admin/vacancies/employer/",
        f"/admin/vacancies/employer/{vacancy.employer_id}/change/",
        "/admin/vacancies/employerinvitation/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/vacancies/vacancy/add/").status_code == 403
