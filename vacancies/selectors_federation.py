"""Reads of federation: the vacancies we export and the feed's pages, the import runs
and sources administrators look at."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from vacancies.models import ImportRun, Source, Vacancy, VacancyQuerySet, VacancySkill


def vacancies_exported() -> VacancyQuerySet:
    """Every vacancy that was ever published (a closed one too: the feed says it closed),
    with what its ``JobPosting`` needs; never a draft."""
    return (
        Vacancy.objects.exclude(status=Vacancy.Status.DRAFT)
        .defer("search_vector")
        .select_related("employer", "occupation", "salary_currency")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=VacancySkill.objects.select_related("skill").order_by(
                    "-required", "skill_id"
                ),
            ),
            "remote_countries",
        )
    )


def vacancies_feed(
    *, updated_since: datetime | None, after: tuple[datetime, int] | None, limit: int
) -> list[Vacancy]:
    """A page of the feed: in the order of change (``updated_at``, then id), from
    ``updated_since`` on, after the position ``after`` (a cursor's)."""
    vacancies = vacancies_exported()
    if updated_since is not None:
        vacancies = vacancies.filter(updated_at__gte=updated_since)
    if after is not None:
        moment, pk = after
        vacancies = vacancies.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    return list(vacancies.order_by("updated_at", "id")[:limit])


def import_runs(*, source: str | None = None) -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("source").order_by("-started_at", "-id")
    return runs.filter(source__name=source) if source else runs


def sources() -> QuerySet[Source]:
    return Source.objects.order_by("name")
