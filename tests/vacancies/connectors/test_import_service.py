"""The import service: re-runs, changes, closing, de-duplication across sources, a run
that died half-way, and imported vacancies going to matching like native ones."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from matching.models import Kind, MatchRequest
from tests.vacancies.connectors.conftest import SAMPLES, import_sample, imported, sample
from vacancies.models import Vacancy, VacancyProvenance
from vacancies.selectors import vacancy_matching_snapshot
from vacancies.services import imports

pytestmark = pytest.mark.django_db


def _hh_vacancy(**changes):
    document = json.loads(sample("hh_vacancy.json"))
    document.update(changes)
    return json.dumps(document, ensure_ascii=False)


def test_an_imported_vacancy_is_asked_for_matching_and_found_by_the_public_search(api: APIClient):
    import_sample("hh_vacancy.json", source="hh")
    vacancy = imported("hh", "93000001")

    request = MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert request.requested_at is not None
    found = api.get("/api/v1/vacancies/", {"q": "разработчик"}).json()["results"]
    assert [v["id"] for v in found] == [vacancy.pk]
    assert api.get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 200


def test_an_imported_vacancy_records_revision_one_as_matching_reads_it():
    import_sample("jsonld_single.json", source="enbek", kind="jsonld")
    vacancy = imported("enbek", "KZ-2026-0001")

    revision = vacancy.revisions.get()
    assert (revision.number, vacancy.revision) == (1, 1)
    assert revision.snapshot == vacancy_matching_snapshot(vacancy=vacancy)


def test_a_changed_record_updates_its_vacancy_with_a_new_revision_and_a_new_match_run():
    source = imports.source_get_or_create(name="hh")
    imports.import_text(source=source, text=_hh_vacancy())
    vacancy = imported("hh", "93000001")
    MatchRequest.objects.filter(object_id=vacancy.pk).update(requested_at=None)

    run = imports.import_text(
        source=source, text=_hh_vacancy(salary={"from": 2500, "to": 3500, "currency": "USD"})
    )

    assert (run.updated, run.created, run.unchanged) == (1, 0, 0)
    vacancy.refresh_from_db()
    assert str(vacancy.salary_min) == "2500.00" and vacancy.revision == 2
    assert vacancy.revisions.get(number=2).snapshot["salary_min"] == "2500.00"
    assert MatchRequest.objects.get(object_id=vacancy.pk).requested_at is not None
    assert Vacancy.objects.count() == 1


def test_a_new_modification_time_alone_leaves_the_vacancy_unchanged():
    source = imports.source_get_or_create(name="hh")
    imports.import_text(source=source, text=_hh_vacancy())

    run = imports.import_text(
        source=source, text=_hh_vacancy(published_at="2026-03-09T10:00:00+0500")
    )

    assert (run.unchanged, run.updated) == (1, 0)


def test_the_same_vacancy_from_two_systems_is_one_vacancy_with_two_provenances():
    import_sample("hh_vacancy.json", source="hh")
    # The employer's own site publishes it too, in JSON-LD, with its name written
    # differently (no quotes, another case) and the salary as numbers with cents.
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "careers-77",
        "url": "https://careers.kaspi.kz/77",
        "title": "Backend-Разработчик (Python)",
        "hiringOrganization": {"name": "KASPI.KZ"},
        "jobLocation": {"address": {"addressLocality": "Almaty", "addressCountry": "KZ"}},
        "baseSalary": {
            "currency": "USD",
            "value": {"minValue": "2000.00", "maxValue": 3500, "unitText": "MONTH"},
        },
    }
    site = imports.source_get_or_create(name="kaspi-careers", kind="jsonld")

    run = imports.import_text(source=site, text=json.dumps(posting, ensure_ascii=False))

    assert (run.merged, run.created) == (1, 0)
    vacancy = imported("hh", "93000001")
    assert imported("kaspi-careers", "careers-77") == vacancy
    assert sorted(vacancy.provenances.values_list("source__name", "primary")) == [
        ("hh", True),
        ("kaspi-careers", False),
    ]
    assert Vacancy.objects.count() == 1
    # Re-reading the copy changes nothing; only the source that brought it edits it.
    assert imports.import_text(source=site, text=json.dumps(posting)).unchanged == 1


def test_a_run_that_died_half_way_converges_when_run_again():
    clean = imports.source_get_or_create(name="trudvsem")
    imports.import_file(source=clean, path=SAMPLES / "trudvsem_vacancies.json")
    expected = sorted(
        Vacancy.objects.values_list("title", "region_id", "salary_min", "salary_max", "status")
    )
    Vacancy.objects.all().delete()
    VacancyProvenance.objects.all().delete()

    # The first run got only as far as the truncated answer (two records written);
    # the second reads the whole answer.
    imports.import_file(source=clean, path=SAMPLES / "trudvsem_truncated.json")
    again = imports.import_file(source=clean, path=SAMPLES / "trudvsem_vacancies.json")

    assert (again.unchanged, again.created) == (2, 1)
    assert (
        sorted(
            Vacancy.objects.values_list("title", "region_id", "salary_min", "salary_max", "status")
        )
        == expected
    )


def test_each_run_keeps_its_report_and_the_source_its_cursor_and_counts():
    run = import_sample("trudvsem_vacancies.json", source="trudvsem")

    run.refresh_from_db()
    assert run.status == "finished" and run.finished_at is not None
    # The newest modify-date of what was imported (the record after it was skipped);
    # a file does not move the source's cursor, which is where its fetches resume.
    assert run.cursor_after == "2026-03-03T12:00:00Z"
    source = run.source
    source.refresh_from_db()
    assert source.cursor == "" and source.last_run_at is not None
    assert source.last_counts == {
        "records": 5, "created": 3, "updated": 0, "unchanged": 0, "merged": 0, "skipped": 2,
    }  # fmt: skip


def test_a_second_run_of_a_source_while_one_holds_it_is_refused():
    import psycopg
    from django.db import connection

    source = imports.source_get_or_create(name="hh")
    settings = connection.settings_dict
    # Another process's session: the lock is per session, so it must be another one.
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(8, %s)", [source.pk])
        with pytest.raises(imports.ImportBusy):
            imports.import_text(source=source, text=_hh_vacancy())


def test_an_unknown_source_needs_a_kind_and_a_known_one_keeps_its_own():
    with pytest.raises(ValueError, match="give --kind"):
        imports.source_get_or_create(name="enbek")
    imports.source_get_or_create(name="enbek", kind="jsonld")
    with pytest.raises(ValueError, match="read by 'jsonld'"):
        imports.source_get_or_create(name="enbek", kind="hh")
