"""What vacancies announce to the apps above them (matching), without importing them.

Sent by the services inside their transaction, so that a receiver's writes (the
matching outbox) commit or roll back with the change itself.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``vacancy_ids`` (a list of ids) and ``reason``: "published", "revised",
# "paused", "resumed", "closed", "filled" or "expired". A deleted draft was never matched.
vacancies_changed = Signal()


def announce(*, ids: list[int], reason: str) -> None:
    if ids:
        vacancies_changed.send(sender=None, vacancy_ids=ids, reason=reason)
