"""Our vacancies as JobPosting JSON-LD, the feed others pull, and the round trip of our
export through our own importer."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.vacancies.factories import in_days, post_vacancy
from vacancies import services
from vacancies.jsonld import vacancy_jobposting
from vacancies.models import Vacancy
from vacancies.selectors_federation import vacancies_exported
from vacancies.services import imports

pytestmark = pytest.mark.django_db

FEED = "/api/v1/feeds/jobpostings/"


def _lines(response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.content.decode().splitlines()]


def _welder(owner, **fields) -> Vacancy:
    fields.setdefault("title", "Сварщик на вахту")
    return post_vacancy(
        by=owner,
        skills=(("welding", 3, True), ("tig-welding", 4, True)),
        description="<p>Вахта в <strong>Атырау</strong>.</p>",
        city="Атырау",
        employment_type="rotational",
        rotation_pattern="15/15",
        salary_min="450000.00",
        salary_max="600000.00",
        salary_currency_id="KZT",
        positions=4,
        min_experience_years=2,
        **fields,
    )


def test_a_published_vacancy_is_served_as_jobposting_json_ld(api: APIClient, owner):
    vacancy = _welder(owner)

    response = api.get(f"/api/v1/vacancies/{vacancy.pk}/jobposting/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    posting = response.json()
    assert posting["@type"] == "JobPosting" and posting["@context"] == "https://schema.org"
    assert posting["title"] == "Сварщик на вахту"
    assert posting["identifier"]["value"] == str(vacancy.pk)
    assert posting["hiringOrganization"]["name"] == "ТОО «Каспий Сервис»"
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "KZ",
        "addressRegion": "KZ-23",
        "addressLocality": "Атырау",
    }
    assert posting["baseSalary"]["currency"] == "KZT"
    assert posting["baseSalary"]["value"]["minValue"] == 450000
    assert posting["validThrough"] == in_days(30).isoformat()
    assert posting["occupationalCategory"]["codeValue"] == "7212"
    assert {s["name"] for s in posting["skills"]} == {"Welding", "TIG welding"}
    assert posting["employmentType"] == ["FULL_TIME", "ROTATIONAL"]
    # Plain JSON for a client that asks for it.
    plain = api.get(f"/api/v1/vacancies/{vacancy.pk}/jobposting/", HTTP_ACCEPT="application/json")
    assert plain["Content-Type"].startswith("application/json") and plain.json() == posting


def test_a_draft_has_no_jobposting(api: APIClient, owner):
    draft = post_vacancy(by=owner, publish=False)

    assert api.get(f"/api/v1/vacancies/{draft.pk}/jobposting/").status_code == 404
    assert api.get("/api/v1/vacancies/999999/jobposting/").status_code == 404


def test_the_feed_gives_json_lines_in_the_order_of_change_and_pages_by_cursor(
    api: APIClient, owner
):
    first, second, third = (_welder(owner, title=f"Сварщик {n}") for n in range(3))
    post_vacancy(by=owner, publish=False, title="Черновик")

    page = api.get(FEED, {"limit": 2})

    assert page.status_code == 200
    assert page["Content-Type"].startswith("application/x-ndjson")
    assert [p["identifier"]["value"] for p in _lines(page)] == [str(first.pk), str(second.pk)]
    assert 'rel="next"' in page["Link"]
    rest = api.get(FEED, {"limit": "2", "cursor": str(page["X-Next-Cursor"])})
    assert [p["identifier"]["value"] for p in _lines(rest)] == [str(third.pk)]
    assert "Link" not in rest
    # Nothing changed since: the cursor kept gives an empty page and itself again.
    later = api.get(FEED, {"cursor": rest["X-Next-Cursor"]})
    assert later.content == b"" and later["X-Next-Cursor"] == rest["X-Next-Cursor"]


def test_updated_since_starts_the_feed_at_a_moment(api: APIClient, owner):
    old = _welder(owner)
    Vacancy.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    new = _welder(owner, title="Новый")

    since = (timezone.now() - timedelta(days=1)).isoformat()
    lines = _lines(api.get(FEED, {"updated_since": since}))

    assert [p["identifier"]["value"] for p in lines] == [str(new.pk)]


def test_closing_a_vacancy_shows_in_the_feed_as_no_longer_valid(api: APIClient, owner):
    vacancy = _welder(owner)
    cursor = api.get(FEED)["X-Next-Cursor"]

    services.vacancy_close(vacancy=vacancy, by=owner)
    lines = _lines(api.get(FEED, {"cursor": cursor}))

    assert [p["identifier"]["value"] for p in lines] == [str(vacancy.pk)]
    assert lines[0]["validThrough"] <= timezone.now().isoformat()
    # And whoever imports our feed closes their copy.
    source = imports.source_get_or_create(name="borderless-mirror", kind="jsonld")
    open_copy = vacancy_jobposting(vacancies_exported().get(pk=vacancy.pk))
    open_copy["validThrough"] = in_days(10).isoformat()
    imports.import_text(source=source, text=json.dumps(open_copy))
    imports.import_text(source=source, text="\n".join(json.dumps(line) for line in lines))
    mirrored = source.provenances.get().vacancy
    assert mirrored.status == Vacancy.Status.CLOSED


@pytest.mark.parametrize(
    "params",
    [
        {"updated_since": "yesterday"},
        {"cursor": "not-a-cursor"},
        # A well-formed cursor whose id no bigint holds.
        {"cursor": "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"},
        {"limit": "0"},
        {"limit": "5000"},
    ],
)
def test_bad_feed_parameters_are_a_clear_400_not_a_server_error(
    api: APIClient, params: dict[str, str]
):
    response = api.get(FEED, params, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert set(response.json()) <= {"updated_since", "cursor", "limit"}


def test_our_export_imports_back_into_an_equal_vacancy(owner):
    native = _welder(owner)
    remote = post_vacancy(
        by=owner,
        title="Python developer",
        occupation="2512",
        skills=(("python", 3, True), ("django", 3, True)),
        work_mode="remote",
        remote_countries=("KZ", "KG"),
        employment_type="part_time",
        schedule="Гибкий график",
        salary_min="15.50",
        salary_currency_id="USD",
        salary_period="hour",
    )
    exported = "\n".join(
        json.dumps(vacancy_jobposting(v), ensure_ascii=False)
        for v in vacancies_exported().filter(pk__in=[native.pk, remote.pk])
    )
    source = imports.source_get_or_create(name="borderless-peer", kind="jsonld")

    run = imports.import_text(source=source, text=exported)

    assert run.created == 2 and run.skipped == 0
    fields = (
        "title", "description", "employer_id", "occupation_id", "country_id", "region_id",
        "city", "work_mode", "employment_type", "schedule", "rotation_pattern", "salary_min",
        "salary_max", "salary_currency_id", "salary_period", "positions",
        "min_experience_years", "expires_on", "status",
    )  # fmt: skip
    for original in (native, remote):
        copy = source.provenances.get(external_id=str(original.pk)).vacancy
        original.refresh_from_db()
        assert {f: getattr(copy, f) for f in fields} == {f: getattr(original, f) for f in fields}
        assert set(copy.skills.values_list("skill_id", flat=True)) == set(
            original.skills.values_list("skill_id", flat=True)
        )
        assert set(copy.remote_countries.all()) == set(original.remote_countries.all())
