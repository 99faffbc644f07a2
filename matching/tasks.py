"""Celery tasks of matching: thin, idempotent, calling a service.

A run commits its matches and closes its outbox request in one transaction, so a task
delivered twice, or again after its worker died, finds nothing pending the second time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import shared_task

from matching import indexes, services
from matching.announce import matches_announce, matches_announce_sweep
from matching.models import Kind


@shared_task(name="matching.match_vacancy")
def match_vacancy(vacancy_id: int) -> str:
    return services.match_request_process(kind=Kind.VACANCY, object_id=vacancy_id)


@shared_task(name="matching.match_seeker")
def match_seeker(profile_id: int) -> str:
    return services.match_request_process(kind=Kind.SEEKER, object_id=profile_id)


@shared_task(name="matching.shard_top_seekers")
def shard_top_seekers(vacancy_id: int, shard: int, shards: int) -> list[dict[str, Any]]:
    return services.shard_top_seekers(vacancy_id=vacancy_id, shard=shard, shards=shards)


@shared_task(name="matching.store_vacancy_matches")
def store_vacancy_matches(
    shard_results: list[list[dict[str, Any]]], vacancy_id: int, requested_at: str
) -> None:
    services.vacancy_matches_store_merged(
        vacancy_id=vacancy_id,
        shard_results=shard_results,
        requested_at=datetime.fromisoformat(requested_at),
    )


@shared_task(name="matching.relay")
def relay() -> int:
    """Re-send requests never sent (the broker was down) or never taken, and hand on
    the matches whose announcement was lost the same way."""
    return services.match_requests_relay() + matches_announce_sweep()


@shared_task(name="matching.sweep")
def sweep() -> dict[str, int]:
    """Ask for runs of whatever changed without a run since (beat, every few minutes)."""
    return services.match_requests_sweep()


@shared_task(name="matching.rebuild_index")
def rebuild_index() -> dict[str, int]:
    """Rebuild the indexes from PostgreSQL and write the snapshots (beat, nightly)."""
    from django.conf import settings

    return indexes.rebuild(shards=settings.MATCHING_SHARDS)


@shared_task(name="matching.announce")
def announce(match_ids: list[int]) -> int:
    """Tell both sides of these matches (idempotent: a told match is not told again)."""
    return matches_announce(match_ids=match_ids)
