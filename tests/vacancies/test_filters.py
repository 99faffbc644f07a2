"""VacancyFilter, the public search's FilterSet, used directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from tests.vacancies.factories import post_vacancy, skill
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy
from vacancies.selectors import vacancies_public

pytestmark = pytest.mark.django_db


@dataclass
class Board:
    welder: Vacancy
    driller: Vacancy
    developer: Vacancy
    cook: Vacancy


@pytest.fixture
def board(owner: User, rival: User) -> Board:
    welder = post_vacancy(
        by=owner,
        title="Сварщик на вахту",
        skills=[("welding", 4, True), ("arc-welding", 3, False)],
        languages=[("ru", "B1")],
        eligibility="eaeu",
        salary_min=Decimal(450000),
        salary_max=Decimal(600000),
        salary_currency_id="KZT",
        employment_type="rotational",
        rotation_pattern="15/15",
    )
    driller = post_vacancy(
        by=rival,
        title="Бурильщик скважин",
        occupation="8113",
        country="RU",
        region="RU-TYU",
        skills=[("pipe-welding", 3, True)],
        languages=[("ru", "B2")],
        eligibility="local",
        salary_min=Decimal(150000),
        salary_currency_id="RUB",
    )
    developer = post_vacancy(
        by=owner,
        title="Python developer",
        occupation="2512",
        country="KG",
        region="KG-GB",
        work_mode="remote",
        remote_countries=["KG", "KZ"],
        skills=[("python", 4, True), ("django", 3, True)],
        languages=[("en", "B2")],
        eligibility="anyone",
        salary_min=Decimal(8),
        salary_currency_id="USD",
        salary_period="hour",
    )
    cook = post_vacancy(
        by=owner,
        title="Повар",
        occupation="5120",
        region="KZ-75",
        work_mode="hybrid",
        employment_type="part_time",
        skills=[("cooking", 3, True)],
        eligibility="local",
    )
    Vacancy.objects.filter(pk=cook.pk).update(published_at=timezone.now() - timedelta(days=10))
    return Board(welder=welder, driller=driller, developer=developer, cook=cook)


def search(**data) -> VacancyFilter:
    return VacancyFilter(data=data, queryset=vacancies_public())


def found(**data) -> set[str]:
    filterset = search(**data)
    assert filterset.is_valid(), filterset.errors
    return {v.title for v in filterset.qs}


def test_no_filter_gives_every_open_vacancy_newest_first(board: Board):
    filterset = search()
    assert [v.title for v in filterset.qs] == [
        "Python developer",
        "Бурильщик скважин",
        "Сварщик на вахту",
        "Повар",
    ]


def test_country_and_region(board: Board):
    assert found(country="KZ") == {"Сварщик на вахту", "Повар"}
    assert found(region="KZ-23") == {"Сварщик на вахту"}
    assert found(country="RU", region="KZ-23") == set()


@pytest.mark.parametrize(
    ("code", "titles"),
    [
        ("7", {"Сварщик на вахту"}),
        ("72", {"Сварщик на вахту"}),
        ("721", {"Сварщик на вахту"}),
        ("7212", {"Сварщик на вахту"}),
        ("7213", set()),
        ("8", {"Бурильщик скважин"}),
        ("2", {"Python developer"}),
        ("25", {"Python developer"}),
    ],
)
def test_occupation_at_any_level_of_the_isco_hierarchy(board: Board, code, titles):
    assert found(occupation=code) == titles


def test_skills_any_or_all(board: Board):
    welding, arc, python = skill("welding").pk, skill("arc-welding").pk, skill("python").pk

    assert found(skills=f"{welding},{python}") == {"Сварщик на вахту", "Python developer"}
    assert found(skills=str(arc)) == {"Сварщик на вахту"}  # optional skills count too
    assert found(skills=f"{welding},{arc}", skills_all="true") == {"Сварщик на вахту"}
    assert found(skills=f"{welding},{python}", skills_all="true") == set()
    assert found(skills=f"{welding},{python}", skills_all="false") == {
        "Сварщик на вахту",
        "Python developer",
    }


def test_salary_at_least_an_amount_in_the_callers_currency(board: Board):
    # Rates of 1 November 2026: 1 USD = 521 KZT = 80.80 RUB. The driller's 150,000 RUB
    # is ≈ 967,000 KZT; the developer's 8 USD an hour × 173 = 1,384 USD ≈ 721,000 KZT;
    # the welder pays up to 600,000 KZT; the cook gives no salary.
    everyone_paid = {"Сварщик на вахту", "Бурильщик скважин", "Python developer"}
    assert found(salary_min="300000", salary_currency="KZT") == everyone_paid
    assert found(salary_min="600000", salary_currency="KZT") == everyone_paid
    assert found(salary_min="700000", salary_currency="KZT") == {
        "Бурильщик скважин",
        "Python developer",
    }
    assert found(salary_min="1300", salary_currency="USD") == {
        "Бурильщик скважин",
        "Python developer",
    }
    assert found(salary_min="1500", salary_currency="USD") == {"Бурильщик скважин"}
    assert found(salary_min="120000", salary_currency="RUB") == {"Бурильщик скважин"}


def test_remote_and_work_mode(board: Board):
    assert found(remote="true") == {"Python developer"}
    assert found(remote="false") == {"Сварщик на вахту", "Бурильщик скважин", "Повар"}
    filterset = VacancyFilter(data={"work_mode": ["hybrid", "remote"]}, queryset=vacancies_public())
    assert {v.title for v in filterset.qs} == {"Python developer", "Повар"}


def test_employment_type(board: Board):
    assert found(employment_type=["rotational"]) == {"Сварщик на вахту"}
    assert found(employment_type=["part_time"]) == {"Повар"}


def test_language(board: Board):
    assert found(language="ru") == {"Сварщик на вахту", "Бурильщик скважин"}
    assert found(language="en") == {"Python developer"}
    assert found(language="kk") == set()


def test_posted_since(board: Board):
    since = timezone.localdate() - timedelta(days=5)
    assert found(posted_since=since.isoformat()) == {
        "Сварщик на вахту",
        "Бурильщик скважин",
        "Python developer",
    }
    assert len(found(posted_since=(since - timedelta(days=10)).isoformat())) == 4


@pytest.mark.parametrize(
    ("citizenship", "titles"),
    [
        # citizens of a member state: EAEU-wide and sponsored vacancies anywhere, and
        # local-only ones in their own state
        ("KZ", {"Сварщик на вахту", "Python developer", "Повар"}),
        ("RU", {"Сварщик на вахту", "Python developer", "Бурильщик скважин"}),
        ("KG", {"Сварщик на вахту", "Python developer"}),
        # anyone else: only where the employer sponsors a work permit
        ("UZ", {"Python developer"}),
        ("TJ", {"Python developer"}),
    ],
)
def test_open_to_a_citizenship(board: Board, citizenship, titles):
    assert found(open_to=citizenship) == titles


def test_full_text_is_ranked(board: Board):
    filterset = search(q="сварщика")
    assert [v.title for v in filterset.qs] == ["Сварщик на вахту"]
    assert filterset.qs[0].rank > 0
    assert found(q="developers") == {"Python developer"}
    assert found(q="нефть") == set()


def test_ordering_by_salary_and_newest(board: Board):
    by_salary = [v.title for v in search(ordering="salary").qs]
    assert by_salary == ["Бурильщик скважин", "Python developer", "Сварщик на вахту", "Повар"]
    newest = [v.title for v in search(ordering="newest").qs]
    assert newest[-1] == "Повар"


def test_filters_combine(board: Board):
    assert found(country="KZ", open_to="UZ") == set()
    assert found(open_to="UZ", remote="true", language="en") == {"Python developer"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"salary_min": "300000", "salary_currency": "ZZZ"}, "salary_currency"),
        ({"salary_min": "-5", "salary_currency": "KZT"}, "salary_min"),
        ({"salary_min": "lots", "salary_currency": "KZT"}, "salary_min"),
        ({"salary_min": "300000"}, "salary_currency"),
        ({"occupation": "12345"}, "occupation"),
        ({"skills": ","}, "skills"),
        ({"skills": ",".join(str(n) for n in range(1, 30))}, "skills"),
        ({"skills_all": "sometimes"}, "skills_all"),
        ({"ordering": "relevance"}, "ordering"),
        ({"open_to": "XX"}, "open_to"),
    ],
)
def test_bad_values_make_the_filterset_invalid_with_the_field_named(data, field):
    filterset = search(**data)
    assert not filterset.is_valid()
    assert field in filterset.errors
