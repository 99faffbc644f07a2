"""Celery tasks of vacancies: thin, idempotent, calling a service."""

from __future__ import annotations

from celery import shared_task

from vacancies import saved_searches, services
from vacancies.connectors.http import FetchError
from vacancies.models import Source
from vacancies.services import imports


@shared_task(name="vacancies.close_expired")
def close_expired() -> int:
    """Close the vacancies past their last day (beat runs it; running twice is harmless)."""
    return services.vacancies_close_expired()


# Longer than the default limits: thousands of searches, one query each; beat runs it
# every 15 minutes, so a run ends before the next one starts.
@shared_task(name="vacancies.saved_search_alerts", soft_time_limit=600, time_limit=660)
def saved_search_alerts() -> int:
    """Tell saved searches their new vacancies (a repeated run tells nothing twice)."""
    return saved_searches.saved_searches_alert()


@shared_task(name="vacancies.fetch_sources")
def fetch_sources() -> int:
    """Ask for a fetch of each source that is due (none unless a URL is set and on)."""
    due = imports.sources_due()
    for source_id in due:
        fetch_source.delay(source_id)
    return len(due)


# A fetch pauses between requests (the polite rate limit) and may read many pages.
@shared_task(name="vacancies.fetch_source", soft_time_limit=1800, time_limit=1860)
def fetch_source(source_id: int) -> int | None:
    """Import what changed at one source; a run already going makes this one a no-op."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    try:
        run = imports.source_fetch(source=source)
    except (imports.ImportBusy, FetchError):
        return None  # busy: the other run does the work; failed: its report says why
    return run.pk if run else None
