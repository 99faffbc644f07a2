"""A run outside any transaction (the command, the beat task) writes its batches in a
writer thread while it maps the next: the same outcome as in one thread."""

from __future__ import annotations

import pytest

from tests.vacancies.connectors.conftest import import_sample, imported, problems
from vacancies.models import Vacancy

pytestmark = pytest.mark.usefixtures("committed_db")


def test_a_run_on_its_own_writes_every_batch_and_reports_every_record():
    run = import_sample("trudvsem_vacancies.json", source="trudvsem", batch_size=1)

    assert (run.created, run.skipped, run.status) == (3, 2, "finished")
    assert problems(run)["item 4"] == "duplicate of item 1"
    assert imported("trudvsem", "a1b2c3d4-0002-4c1e-9f00-000000000002").region_id == "RU-TA"
    assert Vacancy.objects.filter(status="published").count() == 3

    again = import_sample("trudvsem_vacancies.json", source="trudvsem", batch_size=2)

    assert (again.unchanged, again.created, again.updated) == (3, 0, 0)
