"""Applications: a seeker applying to a vacancy, or an employer inviting a seeker, and
every step after, each recorded."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.models.matches import Match
from seekers.models import SeekerProfile
from vacancies.models import Vacancy


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATUSES = (
    ApplicationStatus.DECLINED,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
)


class Party(models.TextChoices):
    SEEKER = "seeker", _("Seeker")
    EMPLOYER = "employer", _("Employer")
    PLATFORM = "platform", _("Platform")


class Application(models.Model):
    """One road from a seeker to a vacancy. At most one open road per pair; a closed one
    (declined, rejected, withdrawn, hired) stays as history and a new one may start."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="applications")
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    started_by = models.CharField(max_length=8, choices=Party.choices)
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    note = models.TextField(
        blank=True, help_text=_("The seeker's cover note, or the employer's invitation.")
    )
    share_cv = models.BooleanField(default=False)
    # When the seeker applied or accepted the invitation: from then on the employer may
    # see the seeker's name and contacts (unless the seeker withdraws or declines).
    contacts_shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Application]]

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("vacancy", "seeker"),
                condition=~models.Q(status__in=["declined", "hired", "rejected", "withdrawn"]),
                name="application_one_open_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status", "-created_at"], name="application_pipeline"),
            models.Index(fields=["seeker", "-created_at"], name="application_of_seeker"),
        ]

    def __str__(self) -> str:
        return f"application {self.pk}: seeker {self.seeker_id} → vacancy {self.vacancy_id}"

    @property
    def contacts_visible(self) -> bool:
        return self.contacts_shared_at is not None and self.status not in (
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.DECLINED,
        )


class ApplicationEvent(models.Model):
    """One step of an application: who moved it, when, from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField(max_length=8, choices=Party.choices)
    from_status = models.CharField(max_length=10, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    note = models.TextField(blank=True)

    objects: ClassVar[models.Manager[ApplicationEvent]]

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '—'} → {self.to_status}"
