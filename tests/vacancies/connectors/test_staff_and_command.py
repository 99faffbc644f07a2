"""What administrators see of imports (the staff API, the admin) and the command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.vacancies.connectors.conftest import SAMPLES, import_sample
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def test_administrators_read_each_run_with_its_counts_and_skipped_records(
    api: APIClient, admin_user
):
    run = import_sample("trudvsem_vacancies.json", source="trudvsem")
    import_sample("hh_vacancy.json", source="hh")
    api.force_authenticate(admin_user)

    listed = api.get("/api/v1/staff/import-runs/", {"source": "trudvsem"}).json()["results"]
    detail = api.get(f"/api/v1/staff/import-runs/{run.pk}/").json()
    sources = api.get("/api/v1/staff/import-sources/").json()["results"]

    assert [r["id"] for r in listed] == [run.pk]
    assert (detail["created"], detail["skipped"], detail["source_name"]) == (3, 2, "trudvsem")
    assert {"position": "item 4", "external_id": "a1b2c3d4-0001-4c1e-9f00-000000000001",
            "reason": "duplicate of item 1"} in detail["problems"]  # fmt: skip
    assert detail["unmapped"]["skills"] == {"Чтение схем на латыни": 1}
    assert [(s["name"], s["last_counts"]["created"]) for s in sources] == [
        ("hh", 1),
        ("trudvsem", 3),
    ]


@pytest.mark.parametrize("who", ["anonymous", "seeker", "owner"])
def test_nobody_but_administrators_reads_the_import_reports(api: APIClient, who, seeker, owner):
    run = import_sample("hh_vacancy.json", source="hh")
    if who != "anonymous":
        api.force_authenticate({"seeker": seeker, "owner": owner}[who])

    for path in ("/api/v1/staff/import-runs/", f"/api/v1/staff/import-runs/{run.pk}/"):
        assert api.get(path).status_code == (401 if who == "anonymous" else 403)


def test_the_admin_lists_sources_runs_and_provenances(client, admin_user):
    run = import_sample("hh_vacancy.json", source="hh")
    client.force_login(admin_user)

    for path in (
        "/admin/vacancies/source/",
        "/admin/vacancies/importrun/",
        f"/admin/vacancies/importrun/{run.pk}/change/",
        "/admin/vacancies/vacancyprovenance/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "93000001" in client.get("/admin/vacancies/vacancyprovenance/").content.decode()


def test_the_command_imports_a_file_and_prints_the_report():
    out = StringIO()

    call_command(
        "import_vacancies",
        "--source",
        "trudvsem",
        "--file",
        str(SAMPLES / "trudvsem_vacancies.json"),
        stdout=out,
    )

    text = out.getvalue()
    assert "5 records — 3 created, 0 updated, 0 unchanged, 0 merged, 2 skipped" in text
    assert "skipped item 5 (a1b2c3d4-0005-4c1e-9f00-000000000005): region not recognised" in text
    assert "not mapped (skills): Чтение схем на латыни ×1" in text
    assert Vacancy.objects.count() == 3


def test_the_command_refuses_a_missing_file_and_an_unknown_source_clearly(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_vacancies", "--source", "hh", "--file", str(tmp_path / "none.json"))
    with pytest.raises(CommandError, match="give --kind"):
        call_command(
            "import_vacancies", "--source", "enbek", "--file", str(SAMPLES / "jsonld_single.json")
        )


def test_an_administrator_gives_a_source_its_url_and_switches_fetching_on(client, admin_user):
    from vacancies.models import Source

    client.force_login(admin_user)
    form = {
        "name": "trudvsem",
        "kind": "trudvsem",
        "url": "http://opendata.trudvsem.ru/api/v1/vacancies",
        "fetch_enabled": "on",
        "fetch_interval_minutes": "120",
    }

    response = client.post("/admin/vacancies/source/add/", form)

    assert response.status_code == 302
    source = Source.objects.get(name="trudvsem")
    assert (source.url, source.fetch_enabled, source.fetch_interval_minutes) == (
        "http://opendata.trudvsem.ru/api/v1/vacancies",
        True,
        120,
    )
    refused = client.post("/admin/vacancies/source/add/", {**form, "name": "x", "kind": "xml"})
    assert refused.status_code == 200 and not Source.objects.filter(name="x").exists()
