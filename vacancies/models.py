"""Employers, their members, and vacancies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import EmploymentType, SalaryPeriod, WorkMode
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill


class Employer(models.Model):
    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    registration_number = models.CharField(
        _("registration number"),
        max_length=32,
        help_text=_("BIN in Kazakhstan, OGRN/INN in Russia…"),
    )
    address = models.CharField(max_length=300, blank=True)
    website = models.URLField(blank=True)
    verified = models.BooleanField(_("verified by platform staff"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("country", "registration_number"), name="employer_registration_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        RECRUITER = "recruiter", _("Recruiter")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.RECRUITER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("employer_id", "role", "id")
        constraints = [
            # A person works for the platform on behalf of one employer at a time.
            models.UniqueConstraint(fields=("user",), name="member_one_employer_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.employer_id}"


class Eligibility(models.TextChoices):
    LOCAL_RESIDENTS = "local", _("Local residents only")
    EAEU_CITIZENS = "eaeu", _("Citizens of EAEU member states (no work permit needed)")
    ANYONE_SPONSORED = "anyone", _("Anyone — the employer sponsors a work permit")


class Vacancy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Sanitised HTML"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="vacancies_here")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    city = models.CharField(max_length=100, blank=True)
    work_mode = models.CharField(max_length=8, choices=WorkMode.choices, default=WorkMode.ON_SITE)
    remote_countries = models.ManyToManyField(Country, blank=True, related_name="+")
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    schedule = models.CharField(max_length=100, blank=True)
    rotation_pattern = models.CharField(
        max_length=20, blank=True, help_text=_("For rotational work, e.g. 15/15 or 28/28 days")
    )
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    salary_period = models.CharField(
        max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.MONTH
    )
    salary_is_gross = models.BooleanField(default=True)
    positions = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    relocation_travel = models.BooleanField(_("travel paid"), default=False)
    relocation_housing = models.BooleanField(_("housing provided"), default=False)
    relocation_registration = models.BooleanField(_("help with registration"), default=False)
    eligibility = models.CharField(
        max_length=8, choices=Eligibility.choices, default=Eligibility.EAEU_CITIZENS
    )
    min_experience_years = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_at", "-id")
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["status", "country", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="vacancy_salary_min_le_max",
            ),
            models.CheckConstraint(
                condition=(models.Q(salary_min__isnull=True) & models.Q(salary_max__isnull=True))
                | models.Q(salary_currency__isnull=False),
                name="vacancy_salary_has_currency",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="vacancy_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ("vacancy_id", "-required", "skill_id")
        constraints = [
            models.UniqueConstraint(fields=("vacancy", "skill"), name="vacancy_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(min_level__gte=1, min_level__lte=5),
                name="vacancy_skill_level_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} at least {self.min_level}"


class VacancyLanguage(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    min_level = models.CharField(max_length=6, choices=CEFRLevel.choices)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ("vacancy_id", "language_id")
        constraints = [
            models.UniqueConstraint(fields=("vacancy", "language"), name="vacancy_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language_id} ≥ {self.min_level}"
