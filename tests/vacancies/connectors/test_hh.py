"""The hh.ru API's vacancy format (GET /vacancies/{id})."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.vacancies.connectors.conftest import (
    SAMPLES,
    import_sample,
    imported,
    problems,
    skill_labels,
)
from vacancies.models import Vacancy
from vacancies.services import imports

pytestmark = pytest.mark.django_db


def test_an_hh_vacancy_maps_area_salary_schedule_experience_and_key_skills():
    run = import_sample("hh_vacancy.json", source="hh")

    assert run.created == 1
    vacancy = imported("hh", "93000001")
    assert (vacancy.country_id, vacancy.region_id, vacancy.city) == ("KZ", "KZ-75", "Алматы")
    assert vacancy.occupation_id == "2512"  # professional role 96
    # Dollars are a currency we price in: kept as given, net as hh.ru says.
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.salary_currency_id) == (
        Decimal(2000),
        Decimal(3500),
        "USD",
    )
    assert vacancy.salary_is_gross is False
    assert (vacancy.work_mode, list(vacancy.remote_countries.values_list("code", flat=True))) == (
        "remote",
        ["KZ"],
    )
    assert vacancy.min_experience_years == 3
    # "Django Framework" by an alternative label.
    assert skill_labels(vacancy) == {"Python", "Django", "PostgreSQL"}
    assert run.unmapped["skills"] == {"Умение договариваться": 1}
    assert vacancy.provenances.get().url == "https://hh.kz/vacancy/93000001"


def test_html_in_an_hh_description_keeps_its_formatting_and_loses_what_runs():
    import_sample("hh_vacancy.json", source="hh")

    description = imported("hh", "93000001").description
    assert "<strong>Задачи:</strong>" in description and "<li>API на Django</li>" in description
    assert '<a href="https://example.kz" rel="nofollow">' in description
    for dangerous in ("onclick", "iframe", "evil.example", "target="):
        assert dangerous not in description


def test_json_lines_of_hh_vacancies_survive_a_foreign_city_an_archive_and_a_broken_record():
    run = import_sample("hh_vacancies.jsonl", source="hh")

    assert (run.created, run.skipped) == (2, 3)
    assert problems(run) == {
        "line 2": "region not recognised: 'Ташкент / Ташкент'",
        "line 4": "closed at the source",
        "line 5": "no name",
    }
    # "Санкт‑Петербург" with a non-breaking hyphen; RUR is hh.ru's code for roubles.
    forklift = imported("hh", "93000002")
    assert (forklift.region_id, forklift.occupation_id) == ("RU-SPE", "8344")
    assert (forklift.salary_min, forklift.salary_max, forklift.salary_currency_id) == (
        None,
        Decimal(80000),
        "RUB",
    )
    cook = imported("hh", "93000004")
    assert (cook.region_id, cook.employment_type, cook.salary_currency_id) == (
        "BY-HM",
        "part_time",
        None,
    )


def test_an_hh_vacancy_archived_later_closes_ours():
    import_sample("hh_vacancy.json", source="hh")
    vacancy = imported("hh", "93000001")
    archived = (
        (SAMPLES / "hh_vacancy.json").read_text().replace('"archived": false', '"archived": true')
    )
    run = imports.import_text(source=vacancy.provenances.get().source, text=archived)

    assert run.updated == 1
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
