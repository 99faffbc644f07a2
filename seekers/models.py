"""Job seekers' profiles: what a recruiter needs to decide and the engine needs to score.

Rules that span fields or rows (a region in the profile's country, a unit-group
occupation, a visible profile needs consent…) are checked by ``seekers.services``;
the constraints here are the last line that no code path may cross.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
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


class ISCEDLevel(models.IntegerChoices):
    """ISCED 2011 levels of education (UNESCO)."""

    EARLY_CHILDHOOD = 0, _("Early childhood education")
    PRIMARY = 1, _("Primary education")
    LOWER_SECONDARY = 2, _("Lower secondary education")
    UPPER_SECONDARY = 3, _("Upper secondary education")
    POST_SECONDARY = 4, _("Post-secondary non-tertiary education")
    SHORT_CYCLE_TERTIARY = 5, _("Short-cycle tertiary education")
    BACHELOR = 6, _("Bachelor's or equivalent")
    MASTER = 7, _("Master's or equivalent")
    DOCTORAL = 8, _("Doctoral or equivalent")


class WorkRightKind(models.TextChoices):
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    WORK_PERMIT = "work_permit", _("Work permit")


class CVType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"


CV_EXTENSIONS: dict[str, str] = {CVType.PDF: "pdf", CVType.DOCX: "docx"}


class SeekerProfileQuerySet(models.QuerySet["SeekerProfile"]):
    def visible_to_employer(
        self, *, employer_id: int, employer_country: str
    ) -> SeekerProfileQuerySet:
        """Profiles an employer (of ``employer_country``) may find.

        Anonymous profiles are included: what an employer then sees of them is
        ``selectors.profile_public_view``'s business, without name or contacts.
        """
        in_chosen_country = Exists(
            SeekerProfile.visible_in_countries.through.objects.filter(
                seekerprofile_id=OuterRef("pk"), country_id=employer_country
            )
        )
        return (
            self.filter(consent_given_at__isnull=False, user__is_active=True)
            .filter(
                Q(visibility__in=(Visibility.ALL_EMPLOYERS, Visibility.ANONYMOUS))
                | (Q(visibility=Visibility.COUNTRIES) & in_chosen_country)
            )
            .exclude(hidden_from_employer_ids__contains=[employer_id])
        )

    def for_public_view(self) -> SeekerProfileQuerySet:
        """Everything ``profile_public_view`` reads, in a fixed number of queries."""
        return self.select_related("user", "cv").prefetch_related(
            "desired_occupations",
            "citizenships",
            "mobility_countries",
            "mobility_regions",
            "skills__skill",
            "languages",
            "experience",
            "education",
            "work_rights",
        )


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
    # Ids of vacancies.Employer; seekers may not import vacancies (the house plan's
    # arrows point down), so the ids are checked by the services, not by a foreign key.
    hidden_from_employer_ids = ArrayField(
        models.BigIntegerField(),
        default=list,
        blank=True,
        help_text=_("Employers that must never see this profile."),
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeekerProfileQuerySet.as_manager()

    class Meta:
        ordering = ("id",)
        # The matching workers' indexes catch up on changes by this column.
        indexes = [models.Index(fields=["updated_at"], name="seeker_updated_at")]
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
            models.CheckConstraint(
                condition=models.Q(visibility=Visibility.HIDDEN)
                | models.Q(consent_given_at__isnull=False),
                name="seeker_visible_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Seeker #{self.pk}"

    @property
    def is_visible_to_employers(self) -> bool:
        return self.visibility != Visibility.HIDDEN and self.consent_given_at is not None


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


class Experience(models.Model):
    """A job held. No end date means the seeker works there now."""

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="experience")
    employer_name = models.CharField(max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("profile_id", "-start_date", "id")
        verbose_name_plural = "experience"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="seeker_experience_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} from {self.start_date}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Education(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="education")
    level = models.PositiveSmallIntegerField(_("ISCED 2011 level"), choices=ISCEDLevel.choices)
    field_of_study = models.CharField(max_length=200, blank=True)
    institution = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("year of completion"),
        null=True,
        blank=True,
        help_text=_("Expected year while still studying; empty if not completed."),
    )

    class Meta:
        ordering = ("profile_id", "-level", "id")
        verbose_name_plural = "education"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=0, level__lte=8), name="seeker_education_isced_0_8"
            ),
        ]

    def __str__(self) -> str:
        return f"ISCED {self.level}, {self.institution}"


class WorkRight(models.Model):
    """A right to work in a country other than by citizenship: a residence or work permit."""

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="work_rights")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=WorkRightKind.choices)
    valid_until = models.DateField(null=True, blank=True, help_text=_("Empty: permanent."))

    class Meta:
        ordering = ("profile_id", "country_id", "kind")
        constraints = [
            models.UniqueConstraint(
                fields=("profile", "country", "kind"), name="seeker_work_right_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=WorkRightKind.values), name="seeker_work_right_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.country_id}"


class SeekerCV(models.Model):
    """The seeker's CV file: metadata here, bytes in ``MEDIA_ROOT / "cv"``.

    The file is named by ``stored_name`` (random, relative to the default storage) and
    deliberately not a FileField: a FileField offers ``.url``, and a CV must never be
    reachable at a URL; it is served only by the views that check who asks.
    """

    profile = models.OneToOneField(SeekerProfile, on_delete=models.CASCADE, related_name="cv")
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=80, choices=CVType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "CV"

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name the seeker gave, with the extension of what the file really is."""
        stem = self.original_name.rsplit(".", 1)[0] or "cv"
        return f"{stem}.{CV_EXTENSIONS[self.content_type]}"


class ContactAccess(models.Model):
    """An employer opened the seeker's contacts. The seeker can list these.

    The employer is kept as an id and a name at that moment: seekers may not import
    vacancies, and the log should still read right after an employer is renamed.
    """

    profile = models.ForeignKey(
        SeekerProfile, on_delete=models.CASCADE, related_name="contact_accesses"
    )
    employer_id = models.BigIntegerField()
    employer_name = models.CharField(max_length=200)
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name_plural = "contact accesses"
        indexes = [models.Index(fields=("profile", "-at"), name="seeker_contact_access_recent")]

    def __str__(self) -> str:
        return f"{self.employer_name} at {self.at:%Y-%m-%d %H:%M}"
