"""Vocabularies that seekers and vacancies share, so the engine can compare them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    TEMPORARY = "temporary", _("Temporary")
    SEASONAL = "seasonal", _("Seasonal")
    ROTATIONAL = "rotational", _("Rotational shift work (vakhta)")
    REMOTE = "remote", _("Remote")


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class SalaryPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    HOUR = "hour", _("per hour")


# Average paid hours in a month, to compare hourly and monthly pay (40 h × 52 / 12).
HOURS_PER_MONTH = 173
