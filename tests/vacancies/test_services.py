"""The services, selectors and sanitiser used directly: what the API tests do not reach."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from taxonomy.models import Country, Occupation, Region
from tests.factories import kz_bin
from tests.vacancies.factories import in_days, post_vacancy, skill
from vacancies import services
from vacancies.models import Employer, Vacancy, VacancySkill
from vacancies.sanitize import sanitize_description
from vacancies.selectors import (
    salary_at_least,
    vacancies_public,
    vacancy_matching_snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("html", "clean"),
    [
        ("<p>Вахта <em>15/15</em></p>", "<p>Вахта <em>15/15</em></p>"),
        ("<script>document.cookie</script><p>ok</p>", "<p>ok</p>"),
        ('<p style="color:red" onmouseover="x()">ok</p>', "<p>ok</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow">x</a>'),
        ('<a href="&#106;avascript:alert(1)">x</a>', '<a rel="nofollow">x</a>'),
        (
            '<a href="https://enbek.kz" rel="opener">x</a>',
            '<a href="https://enbek.kz" rel="nofollow">x</a>',
        ),
        ('<a href="/admin/">x</a>', '<a rel="nofollow">x</a>'),
        (
            "<h1>Заголовок</h1><h3>Условия</h3><h4>Жильё</h4>",
            "Заголовок<h3>Условия</h3><h4>Жильё</h4>",
        ),
        ('<img src="x" onerror="alert(1)"><br>', "<br>"),
        ("<ol><li>один</li></ol><!-- note -->", "<ol><li>один</li></ol>"),
        ("<style>body{}</style>Текст", "Текст"),
    ],
)
def test_sanitize_description(html, clean):
    assert sanitize_description(html) == clean


def test_employer_create_normalises_the_number_and_makes_the_caller_owner(newcomer: User):
    number = kz_bin(77)
    employer = services.employer_create(
        by=newcomer,
        name="  ТОО «Шымкент Строй»  ",
        country=Country.objects.get(code="KZ"),
        registration_number=f"{number[:4]}-{number[4:8]} {number[8:]}",
    )
    assert (employer.name, employer.registration_number) == ("ТОО «Шымкент Строй»", number)
    assert employer.members.get().user == newcomer


def test_services_refuse_people_outside_the_employer(owner: User, rival: User, seeker: User):
    vacancy = post_vacancy(by=owner, publish=False)
    for outsider in (rival, seeker):
        with pytest.raises(PermissionDenied):
            services.vacancy_publish(vacancy=vacancy, by=outsider)
        with pytest.raises(PermissionDenied):
            services.vacancy_update(vacancy=vacancy, by=outsider, title="Чужая")
    with pytest.raises(PermissionDenied):
        services.employer_verify(employer=vacancy.employer, by=owner)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.title) == ("draft", "Сварщик")


def test_a_conflict_carries_the_conflict_code(owner: User):
    vacancy = post_vacancy(by=owner, publish=False)
    with pytest.raises(ValidationError) as error:
        services.vacancy_close(vacancy=vacancy, by=owner)
    assert [e.code for e in error.value.error_dict["status"]] == ["conflict"]


def test_the_invitation_e_mail_leaves_only_if_the_invitation_is_saved(
    owner: User, employer: Employer
):
    with transaction.atomic():
        services.member_invite(employer=employer, by=owner, email="late@caspian.kz")
        transaction.set_rollback(True)
    assert not mail.outbox


def test_vacancy_create_refuses_a_region_of_another_country(recruiter: User, employer: Employer):
    with pytest.raises(ValidationError) as error:
        services.vacancy_create(
            employer=employer,
            by=recruiter,
            title="Сварщик",
            occupation=Occupation.objects.get(code="7212"),
            country=Country.objects.get(code="KZ"),
            region=Region.objects.get(code="KG-GB"),
        )
    assert "Bishkek is not in Kazakhstan." in error.value.message_dict["region"]
    assert not Vacancy.objects.exists()


def test_the_snapshot_holds_what_matching_uses(owner: User):
    vacancy = post_vacancy(
        by=owner,
        skills=[("welding", 4, True), ("arc-welding", 2, False)],
        languages=[("ru", "B1")],
        salary_min=Decimal("450000"),
        salary_currency_id="KZT",
    )
    snapshot = vacancy_matching_snapshot(vacancy=vacancy)
    assert snapshot["salary_min"] == "450000.00" and snapshot["salary_max"] is None
    assert snapshot["region"] == "KZ-23" and snapshot["eligibility"] == "eaeu"
    assert [s["skill"] for s in snapshot["skills"]] == sorted(
        [skill("welding").pk, skill("arc-welding").pk]
    )
    assert snapshot["languages"] == [{"language": "ru", "min_level": "B1", "required": True}]


def test_salary_at_least_compares_hourly_pay_by_the_month(owner: User):
    post_vacancy(
        by=owner,
        title="7 в час",
        salary_min=Decimal(7),
        salary_currency_id="USD",
        salary_period="hour",
    )
    post_vacancy(by=owner, title="1200 в месяц", salary_min=Decimal(1200), salary_currency_id="USD")

    # 7 × 173 = 1211 a month
    titles = {
        v.title for v in salary_at_least(vacancies_public(), amount=Decimal(1210), currency="USD")
    }
    assert titles == {"7 в час"}


def test_the_search_vector_rebuild_indexes_rows_loaded_in_bulk(owner: User, employer: Employer):
    vacancy = Vacancy.objects.create(
        employer=employer,
        title="Газосварщик",
        occupation_id="7212",
        country_id="KZ",
        region_id="KZ-23",
        status="published",
        published_at=timezone.now(),
        expires_on=in_days(10),
    )
    VacancySkill.objects.create(vacancy=vacancy, skill=skill("gas-welding"))
    assert not vacancies_public().search("газосварщики").exists()

    out = StringIO()
    call_command("rebuild_vacancy_search", "--batch-size", "2", stdout=out)

    assert "rebuilt for 1 vacancies" in out.getvalue()
    assert list(vacancies_public().search("газосварщики")) == [vacancy]
    assert list(vacancies_public().search("oxy-acetylene welding")) == []  # alt labels stay out
    assert list(vacancies_public().search("gas welding")) == [vacancy]
