"""The one table of the wiring: tasks the workers gave up on (dead letters).

A task whose every delivery ended with its worker process dead (a crash, the kernel's
OOM killer, a segfault in a library) would otherwise come back for ever and hold a
worker process each time. After ``CELERY_MAX_DELIVERIES`` deliveries it is parked here
instead, acknowledged without running, for an administrator to look at.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class DeadLetter(models.Model):
    """A task parked after too many deliveries; one row per task id."""

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=200, db_index=True)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=200, blank=True)
    deliveries = models.PositiveIntegerField()
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-last_seen_at", "-id")

    def __str__(self) -> str:
        return f"{self.task_name}[{self.task_id}]"

    @property
    def call(self) -> dict[str, Any]:
        return {"name": self.task_name, "args": self.args, "kwargs": self.kwargs}
