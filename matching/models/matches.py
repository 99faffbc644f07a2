"""Matches between vacancies and seekers, the outbox that asks for them, and the log
of the runs that computed them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from seekers.models import SeekerProfile
from vacancies.models import Vacancy


class Standing(models.TextChoices):
    """Whether a match stands today. A match is never deleted because it stopped
    standing: the seeker and the employer may already have acted on it."""

    CURRENT = "current", _("Current")
    BELOW_THRESHOLD = "below_threshold", _("Score fell below the threshold")
    INELIGIBLE = "ineligible", _("No longer eligible")
    CLOSED = "closed", _("The vacancy is no longer open")
    WITHDRAWN = "withdrawn", _("The seeker withdrew consent to matching")


class MatchStatus(models.TextChoices):
    """What the seeker did with it (``contacted`` is set by the employer's invitation)."""

    NEW = "new", _("New")
    SEEN = "seen", _("Seen")
    DISMISSED = "dismissed", _("Dismissed")
    CONTACTED = "contacted", _("Contacted")


class Match(models.Model):
    """One (vacancy, seeker) pair the engine scored, with its explanation.

    Upserted by the matching runs (unique per pair); ``explanation`` is the engine's
    ``MatchResult.as_json()``: the component keys and numbers the pages translate.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="matches")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    explanation = models.JSONField()
    engine_version = models.CharField(max_length=32)
    vacancy_revision = models.PositiveIntegerField()
    standing = models.CharField(max_length=16, choices=Standing.choices, default=Standing.CURRENT)
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField()
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The score last handed to notifications; a current match scoring more is told
    # (the recipients' preferences then decide whether it is worth a message).
    announced_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    objects: ClassVar[models.Manager[Match]]

    class Meta:
        verbose_name_plural = "matches"
        ordering = ("-score", "id")
        constraints = [
            models.UniqueConstraint(fields=("vacancy", "seeker"), name="match_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="match_score_0_100"
            ),
        ]
        indexes = [
            # The employer's ranked candidates and the seeker's ranked vacancies.
            models.Index(
                fields=["vacancy", "standing", "-score", "seeker"], name="match_by_vacancy"
            ),
            models.Index(
                fields=["seeker", "standing", "-score", "vacancy"], name="match_by_seeker"
            ),
            models.Index(
                fields=["computed_at"],
                name="match_to_announce",
                condition=models.Q(standing="current")
                & (
                    models.Q(announced_score__isnull=True)
                    | models.Q(score__gt=models.F("announced_score"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"vacancy {self.vacancy_id} × seeker {self.seeker_id}: {self.score}"


class Kind(models.TextChoices):
    VACANCY = "vacancy", _("Vacancy")
    SEEKER = "seeker", _("Seeker")


class MatchRequest(models.Model):
    """The matching outbox: one row per vacancy or seeker ever asked for.

    A change writes ``requested_at`` in the same transaction as the change itself, so
    the request survives a broker that was down at commit time; the task clears it
    only if no newer change came meanwhile; the relay re-sends what stays pending.
    """

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()
    requested_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: done."))
    due_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    engine_version = models.CharField(max_length=32, blank=True)

    objects: ClassVar[models.Manager[MatchRequest]]

    class Meta:
        ordering = ("kind", "object_id")
        constraints = [
            models.UniqueConstraint(fields=("kind", "object_id"), name="match_request_unique"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="match_request_pending",
                condition=models.Q(requested_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class MatchRun(models.Model):
    """What one matching run did, for operations and for the bench's timings."""

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()
    trigger = models.CharField(max_length=16)
    engine_version = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    duration_ms = models.FloatField()
    shards = models.PositiveSmallIntegerField(default=1)
    candidates = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[MatchRun]]

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [
            models.Index(fields=["kind", "object_id", "-started_at"], name="match_run_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"
