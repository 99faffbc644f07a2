"""Job seekers' profiles: what a recruiter needs to decide and the engine needs to score."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import EmploymentType, SalaryPeriod
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill


class MobilityScope(models.TextChoices):
    REGION = "region", _("Stay in my region")
    COUNTRY = "country", _("Anywhere in my country")
    LISTED = "listed", _("The countries or regions I list")
    EAEU = "eaeu", _("Anywhere in the EAEU")
    ANYWHERE = "anywhere", _("Anywhere")


class RemotePreference(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE_ONLY = "remote_only", _("Remote only")
    ANY = "any", _("Any")


class Visibility(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    ALL_EMPLOYERS = "all", _("Visible to all employers")
    COUNTRIES = "countries", _("Visible to employers in the countries I choose")
    ANONYMOUS = "anonymous", _("Anonymous until I accept a contact request")


class SeekerProfile(models.Model):
    """One per job-seeker account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker_profile"
    )
    headline = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    desired_occupations = models.ManyToManyField(Occupation, blank=True, related_name="+")
    employment_types = ArrayField(
        models.CharField(max_length=16, choices=EmploymentType.choices), default=list, blank=True
    )
    citizenships = models.ManyToManyField(Country, related_name="+", blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(max_length=100, blank=True)

    mobility_scope = models.CharField(
        max_length=10, choices=MobilityScope.choices, default=MobilityScope.COUNTRY
    )
    mobility_countries = models.ManyToManyField(Country, blank=True, related_name="+")
    mobility_regions = models.ManyToManyField(Region, blank=True, related_name="+")
    remote_preference = models.CharField(
        max_length=12, choices=RemotePreference.choices, default=RemotePreference.ANY
    )
    accepts_rotational = models.BooleanField(_("willing to do rotational work"), default=False)
    available_from = models.DateField(null=True, blank=True)

    salary_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    salary_period = models.CharField(
        max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.MONTH
    )
    salary_is_gross = models.BooleanField(default=True)

    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN
    )
    visible_in_countries = models.ManyToManyField(Country, blank=True, related_name="+")
    consent_given_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_amount__isnull=True) | models.Q(salary_amount__gt=0),
                name="seeker_salary_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(salary_amount__isnull=True)
                | models.Q(salary_currency__isnull=False),
                name="seeker_salary_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"Seeker #{self.pk}"


class SeekerSkill(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    years = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(60)])

    class Meta:
        ordering = ("profile_id", "-level", "skill_id")
        constraints = [
            models.UniqueConstraint(fields=("profile", "skill"), name="seeker_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="seeker_skill_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} level {self.level}"


class SeekerLanguage(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=6, choices=CEFRLevel.choices)

    class Meta:
        ordering = ("profile_id", "language_id")
        constraints = [
            models.UniqueConstraint(fields=("profile", "language"), name="seeker_language_unique"),
            models.CheckConstraint(
                condition=models.Q(level__in=CEFRLevel.values), name="seeker_language_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language_id} {self.level}"
