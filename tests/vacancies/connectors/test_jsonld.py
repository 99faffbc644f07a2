"""schema.org JobPosting: one document, a list, JSON lines, a truncated file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.vacancies.connectors.conftest import (
    import_sample,
    imported,
    problems,
    skill_labels,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def test_a_single_posting_becomes_a_published_vacancy_with_its_fields_mapped():
    run = import_sample("jsonld_single.json", source="enbek", kind="jsonld")

    assert (run.created, run.skipped, run.status) == (1, 0, "finished")
    vacancy = imported("enbek", "KZ-2026-0001")
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.title == "Сварщик на вахту 15/15"
    assert vacancy.employer.name == "ТОО «Атырау Мунай Сервис»"
    assert (vacancy.occupation_id, vacancy.country_id, vacancy.region_id) == ("7212", "KZ", "KZ-23")
    assert vacancy.city == "Атырау"
    assert (vacancy.employment_type, vacancy.rotation_pattern) == ("rotational", "15/15")
    assert (vacancy.salary_min, vacancy.salary_max) == (Decimal(450000), Decimal(600000))
    assert vacancy.salary_currency_id == "KZT"
    assert vacancy.positions == 3
    assert vacancy.min_experience_years == 3
    assert str(vacancy.expires_on) == "2099-12-31"
    # "Сварка" by its Russian label, "TIG welding" by its English one, "Сварка
    # трубопроводов" by Russian; the fourth matches nothing and is reported.
    assert skill_labels(vacancy) == {"Welding", "TIG welding", "Pipeline welding"}
    assert run.unmapped == {"skills": {"Работа на высоте в люльке": 1}}
    provenance = vacancy.provenances.get()
    assert provenance.url == "https://www.enbek.kz/ru/vacancy/svarshchik/KZ-2026-0001"
    assert provenance.unmapped == {"skills": ["Работа на высоте в люльке"]}


def test_a_list_survives_its_awkward_records_and_reports_each_skipped_one_with_its_position():
    run = import_sample("jsonld_list.json", source="enbek", kind="jsonld")

    assert (run.records, run.created, run.skipped) == (7, 3, 4)
    assert problems(run) == {
        "item 4": "no title",
        "item 5": "not a JobPosting (@type 'Event')",
        "item 6": "region not recognised: 'Олимп'",
        "item 7": "not a JSON object (int)",
    }
    # Plain text keeps its paragraphs; no salary given, none stored.
    minsk = imported("enbek", "BY-77-100")
    assert (minsk.region_id, minsk.salary_min, minsk.salary_currency_id) == ("BY-HM", None, None)
    assert minsk.description == "<p>Монтаж кабельных линий.</p><p>Оплата сдельная.</p>"
    assert skill_labels(minsk) == {"Electrical installation", "Electrical installation codes"}
    assert minsk.occupation_id == "7411"


def test_html_from_a_feed_is_never_trusted():
    import_sample("jsonld_list.json", source="enbek", kind="jsonld")

    description = imported("enbek", "KZ-ALA-7").description
    assert "<p>Backend team.</p>" in description
    for dangerous in ("<script", "alert(", "onerror", "javascript:", "<img"):
        assert dangerous not in description


def test_a_salary_in_a_currency_we_do_not_price_in_is_dropped_and_reported():
    run = import_sample("jsonld_list.json", source="enbek", kind="jsonld")

    vacancy = imported("enbek", "KZ-ALA-7")
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.salary_currency_id) == (
        None,
        None,
        None,
    )
    assert run.unmapped["currency"] == {"UZS": 1}


def test_a_region_spelled_the_old_way_and_a_country_by_name_still_map():
    import_sample("jsonld_list.json", source="enbek", kind="jsonld")

    almaty = imported("enbek", "KZ-ALA-7")  # "Алма-Ата", "Kazakhstan"
    assert (almaty.country_id, almaty.region_id) == ("KZ", "KZ-75")
    naryn = imported("enbek", "KG-9")  # "Нарынская обл."
    assert naryn.region_id == "KG-N"
    assert (naryn.salary_min, naryn.salary_period, naryn.salary_currency_id) == (
        Decimal(12),
        "hour",
        "USD",
    )


def test_json_lines_skip_a_repeated_line_and_a_broken_one_and_read_a_graph():
    run = import_sample("jsonld_lines.jsonl", source="armstat", kind="jsonld")

    assert (run.created, run.skipped) == (2, 2)
    assert problems(run)["line 2"] == "duplicate of line 1"
    assert problems(run)["line 3"].startswith("not valid JSON")
    assert imported("armstat", "AM-1").region_id == "AM-ER"  # "Yerevan", in English
    truck = imported("armstat", "AM-3")  # from an @graph, next to an Organization
    assert (truck.region_id, truck.occupation_id) == ("AM-SH", "8332")


def test_a_truncated_file_imports_every_complete_record_and_reports_where_it_ends():
    run = import_sample("jsonld_truncated.json", source="enbek", kind="jsonld")

    assert (run.created, run.skipped) == (2, 1)
    assert problems(run)["item 3"].startswith("not valid JSON")
    assert imported("enbek", "TR-2").region_id == "KZ-79"  # "Шымкент", a region's centre


def test_importing_the_same_files_again_changes_nothing():
    first = [
        import_sample(name, source="enbek", kind="jsonld")
        for name in ("jsonld_single.json", "jsonld_list.json")
    ]
    snapshot = list(Vacancy.objects.order_by("pk").values())

    again = [
        import_sample(name, source="enbek") for name in ("jsonld_single.json", "jsonld_list.json")
    ]

    assert [r.unchanged for r in again] == [r.created for r in first] == [1, 3]
    assert [r.created + r.updated for r in again] == [0, 0]
    assert list(Vacancy.objects.order_by("pk").values()) == snapshot


def test_numbers_no_database_column_holds_are_refused_or_ignored_not_fatal():
    from vacancies.services import imports

    source = imports.source_get_or_create(name="enbek", kind="jsonld")
    lines = [
        '{"@type": "JobPosting", "identifier": "X-1", "title": "Сварщик", "hiringOrganization":'
        ' "Шов", "jobLocation": {"address": {"addressRegion": "KZ-75"}},'
        ' "experienceRequirements": {"monthsOfExperience": Infinity},'
        ' "totalJobOpenings": 99999999999,'
        ' "baseSalary": {"currency": "KZT", "value": {"minValue": 1e300}}}',
        '{"@type": "JobPosting", "identifier": "X-2", "title": "Сварщик", "hiringOrganization":'
        ' "Шов", "jobLocation": {"address": {"addressRegion": "KZ-75"}},'
        ' "validThrough": "2026-02-30T10:00:00+05:00"}',
    ]

    run = imports.import_text(source=source, text="\n".join(lines))

    assert (run.created, run.skipped) == (1, 1)
    vacancy = imported("enbek", "X-1")
    assert (vacancy.min_experience_years, vacancy.positions, vacancy.salary_min) == (0, 1, None)
    assert problems(run)["line 2"].startswith("malformed record (ValueError")
