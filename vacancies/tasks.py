"""Celery tasks of vacancies: thin, idempotent, calling a service."""

from __future__ import annotations

from celery import shared_task

from vacancies import saved_searches, services


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
