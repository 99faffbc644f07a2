"""The employer's and the reviewer's pages: the company, vacancies, candidates with
invitations, the hire, and the placement decision."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from matching import indexes
from matching import services as match_services
from matching.models import Application, ApplicationStatus, Placement, PlacementStatus
from notifications.models import Kind, Notification
from seekers.models import Visibility
from tests.factories import UserFactory, kz_bin
from tests.matching.test_placements_api import hire, seeker_profile
from tests.seekers.factories import make_profile, skill
from tests.vacancies.factories import in_days, post_vacancy
from vacancies.models import EmployerMember, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()  # the rows of earlier tests were rolled back


def vacancy_form(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    return {
        "title": "Сварщик на вахту",
        "occupation": "7212",
        "country": "KZ",
        "region": "KZ-23",
        "city": "Атырау",
        "employment_type": "rotational",
        "rotation_pattern": "15/15",
        "work_mode": "on_site",
        "salary_min": "450000",
        "salary_max": "600000",
        "salary_currency": "KZT",
        "eligibility": "eaeu",
        "skills": [str(skill("welding").pk)],
        "skill_level": "3",
        "language": "ru",
        "language_level": "B1",
        "expires_on": in_days(30).isoformat(),
        "publish": "1",
    } | overrides


def test_an_employer_account_registers_its_company_first(client: Client) -> None:
    user = UserFactory.create(email="hr@atyrau-weld.kz", role=Role.EMPLOYER)
    client.force_login(user)

    assert client.get("/employer/vacancies/")["Location"] == "/employer/"
    answer = client.post(
        "/employer/",
        {"name": "ТОО «Атырау Велд»", "country": "KZ", "registration_number": kz_bin(77)},
    )

    assert answer["Location"] == "/employer/vacancies/"
    member = EmployerMember.objects.get(user=user)
    assert member.role == "owner" and member.employer.name == "ТОО «Атырау Велд»"


def test_a_vacancy_is_posted_and_published_from_the_form(client: Client, owner: User) -> None:
    client.force_login(owner)

    answer = client.post("/employer/vacancies/new/", vacancy_form())

    assert answer["Location"] == "/employer/vacancies/"
    vacancy = Vacancy.objects.get()
    assert vacancy.status == Vacancy.Status.PUBLISHED and vacancy.rotation_pattern == "15/15"
    assert list(vacancy.skills.values_list("skill_id", "min_level", "required")) == [
        (skill("welding").pk, 3, True)
    ]
    assert "Сварщик на вахту" in client.get("/employer/vacancies/").content.decode()


def test_the_vacancy_form_says_what_is_wrong_and_keeps_what_was_typed(
    client: Client, owner: User
) -> None:
    client.force_login(owner)

    answer = client.post(
        "/employer/vacancies/new/", vacancy_form(rotation_pattern="каждый день", salary_min="-1")
    )

    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_salary_min_errors"' in html
    assert 'value="Сварщик на вахту"' in html
    assert not Vacancy.objects.exists()
    # With the salary fixed, the service's own check speaks beside its field.
    again = client.post("/employer/vacancies/new/", vacancy_form(rotation_pattern="каждый день"))
    assert 'id="id_rotation_pattern_errors"' in again.content.decode()
    assert not Vacancy.objects.exists()


def test_pause_resume_and_close_and_nobody_else_may(
    client: Client, owner: User, rival: User
) -> None:
    vacancy = post_vacancy(by=owner)
    client.force_login(rival)
    assert client.post(f"/employer/vacancies/{vacancy.pk}/close/").status_code == 404

    client.force_login(owner)
    for action, status in (("pause", "paused"), ("resume", "published"), ("close", "closed")):
        client.post(f"/employer/vacancies/{vacancy.pk}/{action}/")
        vacancy.refresh_from_db()
        assert vacancy.status == status


def test_candidates_are_ranked_and_invited_and_hidden_profiles_never_show(
    client: Client, owner: User, rival: User, seeker: User, other_seeker: User
) -> None:
    visible = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    make_profile(
        other_seeker, visibility=Visibility.COUNTRIES, visible_in=("RU",), headline="Скрытый"
    )
    vacancy = post_vacancy(by=owner)
    match_services.match_now(kind="vacancy", object_id=vacancy.pk)
    client.force_login(owner)

    html = client.get(f"/employer/vacancies/{vacancy.pk}/matches/").content.decode()

    assert f"#{visible.pk}" in html and "Скрытый" not in html
    assert seeker.full_name not in html and "+7 701" not in html  # no name, no phone yet
    client.post(f"/employer/vacancies/{vacancy.pk}/matches/{visible.pk}/invite/")
    assert Application.objects.get().status == ApplicationStatus.INVITED
    client.force_login(rival)
    assert client.get(f"/employer/vacancies/{vacancy.pk}/matches/").status_code == 404


def test_the_employer_hires_on_the_application_page_and_a_placement_waits_for_review(
    client: Client, owner: User, seeker: User, reviewer: User
) -> None:
    from matching.applications import application_apply, application_move

    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner)
    application = application_apply(profile=profile, vacancy=vacancy, by=seeker)
    for to in ("accepted", "interview", "offer"):
        application = application_move(application=application, to=to, by=owner)
    client.force_login(owner)

    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert seeker.email in page  # the seeker applied: the contacts are open
    bad = client.post(f"/applications/{application.pk}/move/", {"to": "hired"}, follow=True)
    assert "first working day" in bad.content.decode().lower()
    client.post(
        f"/applications/{application.pk}/move/",
        {"to": "hired", "start_date": in_days(14).isoformat()},
    )

    placement = Placement.objects.get(application=application)
    assert placement.status == PlacementStatus.PENDING
    client.force_login(reviewer)
    assert vacancy.title in client.get("/review/placements/").content.decode()


def test_a_reviewer_approves_and_both_sides_hear_of_it(
    client: Client, owner: User, reviewer: User
) -> None:
    placement = hire(by=owner, profile=seeker_profile("welder@example.kg"))
    client.force_login(reviewer)

    page = client.get(f"/review/placements/{placement.pk}/").content.decode()
    assert "Kazakhstan" in page and placement.vacancy.title in page
    answer = client.post(
        f"/review/placements/{placement.pk}/decide/", {"decision": "approve", "text": "OK"}
    )

    assert answer["Location"] == "/review/placements/"
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.APPROVED
    told = set(
        Notification.objects.filter(kind=Kind.PLACEMENT_REVIEWED).values_list(
            "recipient__email", flat=True
        )
    )
    assert {"welder@example.kg", "owner@caspian.kz"} <= told


def test_a_rejection_needs_a_reason_and_only_reviewers_decide(
    client: Client, owner: User, reviewer: User
) -> None:
    placement = hire(by=owner, profile=seeker_profile("welder@example.kg"))
    client.force_login(owner)
    assert client.get("/review/placements/").status_code == 403
    assert (
        client.post(
            f"/review/placements/{placement.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )

    client.force_login(reviewer)
    answer = client.post(
        f"/review/placements/{placement.pk}/decide/", {"decision": "reject"}, follow=True
    )

    assert 'class="messages"' in answer.content.decode()
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PENDING
