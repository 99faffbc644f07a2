"""Celery tasks of notifications (queue ``notifications``): thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from notifications import delivery, digests, services


@shared_task(name="notifications.deliver")
def deliver(delivery_id: int) -> str:
    return delivery.delivery_process(delivery_id)


@shared_task(name="notifications.deliver_batch")
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Send a transaction's deliveries one by one (each claimed and marked on its own)."""
    outcomes: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = delivery.delivery_process(delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Send what is due and not taken: the broker was down, or a worker died."""
    return services.deliveries_sweep()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    """Digests for whoever's local digest hour has come (beat, on the hour)."""
    return digests.digests_send()
