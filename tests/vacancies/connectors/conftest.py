"""Recorded sample documents of the outside systems, and a way to import them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vacancies.models import ImportRun, Vacancy, VacancyProvenance
from vacancies.services import imports

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def import_sample(name: str, *, source: str, kind: str | None = None, **options: Any) -> ImportRun:
    the_source = imports.source_get_or_create(name=source, kind=kind)
    return imports.import_file(source=the_source, path=SAMPLES / name, **options)


def imported(source: str, external_id: str) -> Vacancy:
    """The vacancy a source's record became."""
    return (
        VacancyProvenance.objects.select_related("vacancy")
        .get(source__name=source, external_id=external_id)
        .vacancy
    )


def skill_labels(vacancy: Vacancy) -> set[str]:
    return set(vacancy.skills.values_list("skill__label_en", flat=True))


def problems(run: ImportRun) -> dict[str, str]:
    """position → reason of each skipped record."""
    return {p["position"]: p["reason"] for p in run.problems}
