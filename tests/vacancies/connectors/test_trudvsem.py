""" "Work in Russia" open-data vacancies (results.vacancies[].vacancy)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.vacancies.connectors.conftest import import_sample, imported, problems, skill_labels

pytestmark = pytest.mark.django_db


def test_a_work_in_russia_answer_maps_region_code_company_salary_and_skills():
    run = import_sample("trudvsem_vacancies.json", source="trudvsem")

    assert (run.records, run.created) == (5, 3)
    electrician = imported("trudvsem", "a1b2c3d4-0001-4c1e-9f00-000000000001")
    assert (electrician.country_id, electrician.region_id) == ("RU", "RU-MOW")  # KLADR 77
    assert electrician.occupation_id == "7411"
    assert electrician.employer.registration_number == "1027700132195"  # the OGRN
    assert (electrician.salary_min, electrician.salary_max, electrician.salary_currency_id) == (
        Decimal(90000),
        Decimal(120000),
        "RUB",  # «руб.»
    )
    assert (electrician.positions, electrician.min_experience_years) == (2, 2)
    assert electrician.schedule == "Полный рабочий день"
    assert skill_labels(electrician) == {
        "Electrical installation",
        "Electrical installation codes",
        "Responsibility",
    }
    assert run.unmapped["skills"] == {"Чтение схем на латыни": 1}
    assert electrician.provenances.get().url.startswith("https://trudvsem.ru/vacancy/card/")


def test_a_region_by_a_different_spelling_no_salary_and_a_rotation_in_the_text():
    import_sample("trudvsem_vacancies.json", source="trudvsem")

    welder = imported("trudvsem", "a1b2c3d4-0002-4c1e-9f00-000000000002")
    assert welder.region_id == "RU-TA"  # "Республика Татарстан (Татарстан)", no code
    assert (welder.salary_min, welder.salary_max, welder.salary_currency_id) == (None, None, None)
    assert (welder.employment_type, welder.rotation_pattern) == ("rotational", "30/30")
    assert "<script" not in welder.description and "cookie" not in welder.description
    assert welder.description.startswith("<p>Вахта 30/30, сварка трубопроводов.<br>")


def test_a_salary_range_given_backwards_is_put_right():
    import_sample("trudvsem_vacancies.json", source="trudvsem")

    loader = imported("trudvsem", "a1b2c3d4-0003-4c1e-9f00-000000000003")
    assert (loader.salary_min, loader.salary_max) == (Decimal(60000), Decimal(70000))
    assert (loader.employment_type, loader.region_id) == ("temporary", "RU-SVE")


def test_a_duplicated_record_and_an_unknown_place_are_skipped_with_reasons():
    run = import_sample("trudvsem_vacancies.json", source="trudvsem")

    assert problems(run) == {
        "item 4": "duplicate of item 1",
        "item 5": "region not recognised: 'Байконур'",
    }


def test_a_truncated_answer_imports_what_came_before_the_cut():
    run = import_sample("trudvsem_truncated.json", source="trudvsem")

    assert (run.created, run.skipped) == (2, 1)
    assert problems(run)["item 3"].startswith("not valid JSON")
