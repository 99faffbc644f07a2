"""Celery tasks of notifications (queue ``notifications``): thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from notifications import delivery, digests, services


@shared_task(name="notifications.deliver")
def deliver(delivery_id: int) -> str:
    return delivery.delivery_process(delivery_id)


@shared_task(name="notifications.deliver_batch")
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Send a transaction's deliveries (each claimed, sent and marked exactly once)."""
    return delivery.deliveries_process(delivery_ids)


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Send what is due and not taken: the broker was down, or a worker died."""
    return services.deliveries_sweep()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    """Digests for whoever's local digest hour has come (beat, on the hour)."""
    return digests.digests_send()
