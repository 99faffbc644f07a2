"""The verbs of dead letters: park a task that keeps killing its worker, send it again.

``config.celery.Task`` parks; an administrator looks at the rows in the admin, fixes
the cause and sends the task again from there (a new delivery under a new id).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from config.models import DeadLetter

LAST_ERROR = "its worker process died on each of {n} deliveries (killed, crashed or out of memory)"


def dead_letter_record(
    *,
    task_id: str,
    task_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    queue: str,
    deliveries: int,
    first_seen: float,
) -> DeadLetter:
    """Park the task (once per task id; a later delivery only updates the count)."""
    letter, _ = DeadLetter.objects.update_or_create(
        task_id=task_id,
        defaults={
            "task_name": task_name,
            "args": args,
            "kwargs": kwargs,
            "queue": queue,
            "deliveries": deliveries,
            "last_seen_at": timezone.now(),
            "last_error": LAST_ERROR.format(n=deliveries - 1),
        },
        create_defaults={
            "task_name": task_name,
            "args": args,
            "kwargs": kwargs,
            "queue": queue,
            "deliveries": deliveries,
            "first_seen_at": datetime.fromtimestamp(first_seen, tz=UTC),
            "last_seen_at": timezone.now(),
            "last_error": LAST_ERROR.format(n=deliveries - 1),
        },
    )
    return letter


def dead_letter_resend(*, letter: DeadLetter) -> DeadLetter:
    """Send the parked task again, under a new id (its count starts afresh)."""
    from config.celery import app

    def send() -> None:
        app.send_task(letter.task_name, args=letter.args, kwargs=letter.kwargs)

    with transaction.atomic():
        DeadLetter.objects.filter(pk=letter.pk).update(resent_at=timezone.now())
        transaction.on_commit(send)
    letter.refresh_from_db(fields=["resent_at"])
    return letter
