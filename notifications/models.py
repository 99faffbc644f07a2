"""Notifications: what each person is told, how they want to hear it, and every
attempt to tell them by e-mail or to tell an employer's system by webhook."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MATCH_FOR_SEEKER = "match_for_seeker", _("A vacancy for you")
    CANDIDATE_FOR_VACANCY = "candidate_for_vacancy", _("A candidate for your vacancy")
    APPLICATION_RECEIVED = "application_received", _("Application received")
    INVITATION_RECEIVED = "invitation_received", _("Invitation received")
    STATUS_CHANGED = "status_changed", _("Status changed")
    PLACEMENT_REVIEWED = "placement_reviewed", _("Placement reviewed")
    SAVED_SEARCH_ALERT = "saved_search_alert", _("New vacancies for a saved search")
    DIGEST = "digest", _("Digest")


# Kinds about a match: the minimum score and the re-notification margin apply to them.
MATCH_KINDS = (Kind.MATCH_FOR_SEEKER, Kind.CANDIDATE_FOR_VACANCY)


class Frequency(models.TextChoices):
    INSTANT = "instant", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class Preference(models.Model):
    """How much a person wants to hear, and where. In-app notifications are always kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_kinds = ArrayField(
        models.CharField(max_length=32, choices=Kind.choices), default=list, blank=True
    )
    email_enabled = models.BooleanField(_("send e-mail"), default=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.INSTANT)
    min_match_score = models.PositiveSmallIntegerField(
        default=50, help_text=_("Matches scoring less are not notified.")
    )
    max_instant_per_hour = models.PositiveSmallIntegerField(
        default=10, help_text=_("Beyond this many e-mails an hour, the rest wait for the digest.")
    )
    time_zone = models.CharField(max_length=64, default="Asia/Almaty")
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text=_("Local hour at which digests are sent (0–23).")
    )
    # Digests go out on this weekday (0 Monday … 6 Sunday) when the frequency is weekly.
    digest_weekday = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Preference]]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_match_score__lte=100), name="preference_score_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="preference_digest_hour"
            ),
            models.CheckConstraint(
                condition=models.Q(digest_weekday__lte=6), name="preference_digest_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Notification(models.Model):
    """One thing told to one person, rendered in their language when it was made.

    ``idempotency_key`` is unique: the same event never makes two notifications.
    A visitor without an account (a confirmed saved-search e-mail) has ``email`` and
    no ``recipient``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the next digest (the frequency or the hourly limit said so).
    digest_pending = models.BooleanField(default=False)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    objects: ClassVar[models.Manager[Notification]]

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["recipient", "kind", "subject_type", "subject_id"],
                name="notification_subject",
            ),
            models.Index(
                fields=["recipient"],
                name="notification_digest_pending",
                condition=models.Q(digest_pending=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id or self.email}"


class WebhookEndpoint(models.Model):
    """An employer's HTTPS address for JSON events, signed with the secret.

    ``employer_id`` is a ``vacancies.Employer`` id: notifications may not import the
    apps above it (the house plan), so the id is checked by the API that writes it.
    """

    employer_id = models.BigIntegerField(unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[WebhookEndpoint]]

    class Meta:
        ordering = ("employer_id",)

    def __str__(self) -> str:
        return f"webhook of employer {self.employer_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message on one channel: an e-mail of a notification, or a webhook event.

    A task claims it (pending → sending, with a lease), sends it, and marks it sent;
    ``idempotency_key`` travels with it (Message-ID, webhook event id) so a receiver
    can drop the rare repeat after a worker died between sending and marking.
    """

    channel = models.CharField(max_length=8, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Delivery]]

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(channel="email", notification__isnull=False)
                    | models.Q(channel="webhook", endpoint__isnull=False)
                ),
                name="delivery_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.idempotency_key}: {self.status}"
