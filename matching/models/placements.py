"""Placements made by hires, their review by the platform's reviewers, the documents
behind them, and the relocation programmes they may fall under."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.models.applications import Application, Party
from seekers.models import SeekerProfile
from taxonomy.models import Country, Occupation, Region
from vacancies.models import Employer, Vacancy


class RelocationProgramme(models.Model):
    """A state programme that supports moving from labour-surplus regions to
    labour-shortage ones (e.g. Kazakhstan's resettlement support)."""

    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    from_regions = models.ManyToManyField(Region, related_name="+")
    to_regions = models.ManyToManyField(Region, related_name="+")
    benefits = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[RelocationProgramme]]

    class Meta:
        ordering = ("country_id", "name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="programme_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.TextChoices):
    """Why the person may work in the destination country."""

    CITIZEN = "citizen", _("Citizen of the destination state")
    EAEU_CITIZEN = "eaeu", _("Citizen of another EAEU member state (no permit needed)")
    WORK_PERMIT = "work_permit", _("Work permit")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class PlacementStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    NEEDS_INFO = "needs_info", _("Needs information")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Placement(models.Model):
    """A person placed in a job, made by a hire, and reviewed by the platform.

    The facts about the move (from where to where, on what legal basis) are copied at
    hire time, so the statistics hold when the seeker later leaves the platform: then
    ``seeker`` and ``application`` become empty and the permit number is erased.
    """

    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="placement"
    )
    seeker = models.ForeignKey(
        SeekerProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    origin_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    origin_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    destination_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    cross_border = models.BooleanField()
    citizenship = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(max_length=16, choices=LegalBasis.choices)
    work_permit_number = models.CharField(max_length=64, blank=True)
    regulated_profession = models.BooleanField(default=False)
    # For a regulated profession across a border: None until the employer says.
    recognition_obtained = models.BooleanField(null=True, blank=True)
    programme = models.ForeignKey(
        RelocationProgramme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    status = models.CharField(
        max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.PENDING
    )
    hired_at = models.DateTimeField()
    # When it (re-)entered the review queue: the queue is oldest first by this.
    queued_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects: ClassVar[models.Manager[Placement]]

    class Meta:
        ordering = ("queued_at", "id")
        indexes = [
            models.Index(fields=["status", "queued_at", "id"], name="placement_queue"),
            models.Index(
                fields=["destination_country", "destination_region"], name="placement_destination"
            ),
            models.Index(fields=["origin_country", "origin_region"], name="placement_origin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="work_permit")
                | ~models.Q(work_permit_number="")
                | models.Q(seeker__isnull=True),
                name="placement_permit_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"placement {self.pk} at {self.employer_id}"


class PlacementEvent(models.Model):
    """The placement's audit trail: made, decided, asked, answered — by whom, when, why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created by the hire")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        INFO_REQUESTED = "info_requested", _("Information requested")
        INFO_PROVIDED = "info_provided", _("Information provided")
        DOCUMENT_ADDED = "document_added", _("Document added")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField(max_length=8, choices=Party.choices)
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=PlacementStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=PlacementStatus.choices)
    note = models.TextField(blank=True)

    objects: ClassVar[models.Manager[PlacementEvent]]

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.action}"


class PlacementDocument(models.Model):
    """A file behind a placement (contract, permit, recognition certificate), stored
    privately like CVs and served only to the employer and the reviewers."""

    class DocumentKind(models.TextChoices):
        CONTRACT = "contract", _("Employment contract")
        WORK_PERMIT = "work_permit", _("Work permit")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
        RECOGNITION = "recognition", _("Recognition of education documents")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[PlacementDocument]]

    class Meta:
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} of placement {self.placement_id}"
