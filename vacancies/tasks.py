"""Celery tasks of vacancies: thin, idempotent, calling a service."""

from __future__ import annotations

from celery import shared_task

from vacancies import services


@shared_task(name="vacancies.close_expired")
def close_expired() -> int:
    """Close the vacancies past their last day (beat runs it; running twice is harmless)."""
    return services.vacancies_close_expired()
