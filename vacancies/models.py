"""Employers, their members and invitations, vacancies and their revisions, and the
searches people save to be told of new vacancies."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Value, When
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import HOURS_PER_MONTH, EmploymentType, SalaryPeriod, WorkMode
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill

# Every vacancy is indexed in both configurations (their tsvectors concatenated) and
# every query is parsed in both and OR'ed: Russian stems Cyrillic words ("Сварщика" →
# "сварщик"), English stems Latin ones ("welders" → "welder"), and a posting often mixes
# the two ("Сварщик TIG/MIG").
SEARCH_CONFIGS = ("russian", "english")


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


class EmployerInvitation(models.Model):
    """An invitation by e-mail to join an employer; the token travels only in the e-mail."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=EmployerMember.Role.choices, default=EmployerMember.Role.RECRUITER
    )
    # SHA-256 of the token: a leaked database does not let anyone join an employer.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                "employer",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_pending_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.employer_id} as {self.role}"


class Eligibility(models.TextChoices):
    LOCAL_RESIDENTS = "local", _("Local residents only")
    EAEU_CITIZENS = "eaeu", _("Citizens of EAEU member states (no work permit needed)")
    ANYONE_SPONSORED = "anyone", _("Anyone — the employer sponsors a work permit")


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def published(self) -> VacancyQuerySet:
        return self.filter(status=Vacancy.Status.PUBLISHED)

    def open(self, *, today: date | None = None) -> VacancyQuerySet:
        """Published and not past the last day (``expires_on`` is the last open day)."""
        return self.published().filter(expires_on__gte=today or timezone.localdate())

    def expired(self, *, today: date | None = None) -> VacancyQuerySet:
        live = (Vacancy.Status.PUBLISHED, Vacancy.Status.PAUSED)
        return self.filter(status__in=live, expires_on__lt=today or timezone.localdate())

    def open_to(self, citizenship: Country) -> VacancyQuerySet:
        """Vacancies a citizen of ``citizenship`` has the right to take.

        Citizens of a member state need no work permit anywhere in the union (Treaty on
        the EAEU, art. 97), so they may take any vacancy open to EAEU citizens, and a
        local-only one in their own state; everyone else only where a permit is sponsored.
        Vacancies are posted only in member states, so the vacancy's side needs no check.
        """
        if citizenship.is_eaeu_member:
            return self.filter(
                models.Q(eligibility__in=(Eligibility.EAEU_CITIZENS, Eligibility.ANYONE_SPONSORED))
                | models.Q(eligibility=Eligibility.LOCAL_RESIDENTS, country=citizenship)
            )
        return self.filter(eligibility=Eligibility.ANYONE_SPONSORED)

    def search(self, text: str) -> VacancyQuerySet:
        """Full-text match in Russian or English, annotated with ``rank`` (ts_rank)."""
        first, *others = (
            SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS
        )
        query = first
        for other in others:
            query = query | other
        # ts_rank is a float4; as a float8 its text form reads back exactly, so the
        # cursor (which carries the last rank seen) compares equal to the row it came from.
        rank = Cast(SearchRank(models.F("search_vector"), query), models.FloatField())
        return self.filter(search_vector=query).annotate(rank=rank)


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
    # The top of the range (the minimum when no top is given), hourly pay × 173 hours, in
    # the vacancy's own currency: what "pays at least X a month" compares, indexed.
    salary_monthly = models.GeneratedField(
        expression=Case(
            When(
                salary_period=SalaryPeriod.HOUR,
                then=Coalesce("salary_max", "salary_min") * Value(HOURS_PER_MONTH),
            ),
            default=Coalesce("salary_max", "salary_min"),
        ),
        output_field=models.DecimalField(max_digits=16, decimal_places=2),
        db_persist=True,
    )
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
    expires_on = models.DateField(
        null=True, blank=True, help_text=_("The last day the vacancy is open")
    )
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title (A), skill labels (B) and the description's text (C), in both SEARCH_CONFIGS;
    # written by the services (and `rebuild_vacancy_search` after bulk loads), never here.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")
        verbose_name_plural = "vacancies"
        indexes = [
            models.Index(fields=["status", "country", "-published_at"]),
            # Newest first with a unique tie-break: what the public list pages through.
            models.Index(fields=["status", "published_at", "id"], name="vacancy_status_published"),
            models.Index(fields=["country", "occupation"], name="vacancy_country_occupation"),
            models.Index(
                fields=["salary_currency", "salary_monthly"],
                name="vacancy_salary_monthly",
                condition=models.Q(status="published"),
            ),
            GinIndex(fields=["search_vector"], name="vacancy_search_vector"),
            # The matching workers' indexes catch up on changes by this column.
            models.Index(fields=["updated_at"], name="vacancy_updated_at"),
        ]
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
                condition=(models.Q(salary_min__isnull=True) | models.Q(salary_min__gte=0))
                & (models.Q(salary_max__isnull=True) | models.Q(salary_max__gte=0)),
                name="vacancy_salary_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="vacancy_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(expires_on__isnull=False),
                name="vacancy_live_has_expiry",
            ),
            models.CheckConstraint(
                condition=~models.Q(employment_type="rotational") | ~models.Q(rotation_pattern=""),
                name="vacancy_rotational_has_pattern",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def was_published(self) -> bool:
        """Seen by seekers and matching: its matching fields change only by revision."""
        return self.status != self.Status.DRAFT


class SalaryRate(models.Model):
    """The rate of each currency the salaries in VacancySalaryUSD were computed with: the
    day's rate (the latest not after it) when they were last refreshed; the dollar at 1.
    """

    currency = models.OneToOneField(
        Currency, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    units_per_usd = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        ordering = ("currency_id",)

    def __str__(self) -> str:
        return f"1 USD = {self.units_per_usd} {self.currency_id}"


class VacancySalaryUSD(models.Model):
    """A vacancy's ``salary_monthly`` in US dollars at the rates of SalaryRate, rounded
    to cents (0 without a salary or a rate): what "highest salary first" orders by.

    A table of its own, so that the daily change of rates rewrites narrow rows and two
    indexes instead of every vacancy with its full-text index. Written by a trigger on
    each insert of a vacancy and change of its salary (migration 0006), and for every
    vacancy by ``vacancies.services.salaries`` when the day's rates change; never here.
    """

    vacancy = models.OneToOneField(
        Vacancy, primary_key=True, on_delete=models.CASCADE, related_name="salary_in_usd"
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        indexes = [
            # Highest salary first, with the id as the tie-break the cursor needs.
            models.Index(fields=["-amount", "-vacancy"], name="vacancy_salary_usd"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.amount} USD"


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    # Indexed with the vacancy below, so "vacancies asking for these skills" is an
    # index-only scan.
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+", db_index=False)
    min_level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ("vacancy_id", "-required", "skill_id")
        indexes = [models.Index(fields=["skill", "vacancy"], name="vacancy_skill_by_skill")]
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
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    min_level = models.CharField(max_length=6, choices=CEFRLevel.choices)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ("vacancy_id", "language_id")
        indexes = [
            models.Index(fields=["language", "vacancy"], name="vacancy_language_by_language")
        ]
        constraints = [
            models.UniqueConstraint(fields=("vacancy", "language"), name="vacancy_language_unique"),
            models.CheckConstraint(
                condition=models.Q(min_level__in=CEFRLevel.values),
                name="vacancy_language_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language_id} ≥ {self.min_level}"


class VacancyRevision(models.Model):
    """What matching saw: the matching fields of a vacancy as of revision ``number``.

    Revision 1 is recorded when the vacancy is published; each later edit of a matching
    field makes the next one and bumps ``Vacancy.revision``, so a match can tell which
    version of the vacancy it scored.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("vacancy_id", "number")
        constraints = [
            models.UniqueConstraint(fields=("vacancy", "number"), name="vacancy_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} revision {self.number}"


class SavedSearch(models.Model):
    """A public search someone wants to hear about: new vacancies that match it are
    told in one alert per run.

    A seeker's search belongs to the account; a visitor's has only an ``email`` and
    alerts only after the address is confirmed from the link sent to it. ``filters``
    holds the query parameters of ``GET /api/v1/vacancies/`` as checked by its FilterSet.

    The high-water mark (``mark_published_at``, ``mark_vacancy_id``) is the newest
    vacancy already told, in the order the search lists them: a run tells only what
    lies beyond it and then moves it. ``link_key`` is random and goes into the signed
    no-login links (pause, delete, confirm); it does not make a link on its own.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    email = models.EmailField(blank=True)  # stored lower-cased
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The visitor's language (from the browser) for e-mails; an account's is its own.
    language = models.CharField(max_length=8, blank=True)
    name = models.CharField(max_length=100)
    filters = models.JSONField(default=dict, blank=True)
    paused = models.BooleanField(default=False)
    mark_published_at = models.DateTimeField()
    mark_vacancy_id = models.BigIntegerField(default=0)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    link_key = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(
                fields=["email"],
                name="saved_search_visitor_email",
                condition=models.Q(user__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(email=""))
                | (models.Q(user__isnull=True) & ~models.Q(email="")),
                name="saved_search_user_or_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        """Alerts go out: not paused, and an account's or a confirmed address's."""
        return not self.paused and (self.user_id is not None or self.confirmed_at is not None)


# --- Federation: vacancies taken in from other systems ------------------------------


class Source(models.Model):
    """A system vacancies are imported from, with the state its runs carry on from.

    ``kind`` names the connector that reads it (``vacancies.connectors``). Nothing is
    fetched over HTTP unless ``url`` is set and ``fetch_enabled`` is on: a source made by
    ``import_vacancies --file`` has neither.
    """

    class Kind(models.TextChoices):
        JSONLD = "jsonld", _("schema.org JobPosting (JSON-LD)")
        TRUDVSEM = "trudvsem", _("Work in Russia open data")
        HH = "hh", _("hh.ru API")

    name = models.SlugField(max_length=50, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(
        max_length=500, blank=True, help_text=_("Where the beat task fetches from")
    )
    fetch_enabled = models.BooleanField(default=False)
    fetch_interval_minutes = models.PositiveIntegerField(default=60)
    # Opaque to everything but the connector: a modification time or a feed's cursor.
    cursor = models.CharField(max_length=500, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One pass over a file or a fetch: what it did to each record, for administrators.

    ``problems`` lists the records skipped (``position``, ``external_id``, ``reason``);
    ``unmapped`` counts the values that had no match in the taxonomy, by kind.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    origin = models.CharField(max_length=500, help_text=_("The file or URL read"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cursor_before = models.CharField(max_length=500, blank=True)
    cursor_after = models.CharField(max_length=500, blank=True)
    records = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(
        default=0, help_text=_("Attached to a vacancy another source brought")
    )
    skipped = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    unmapped = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [models.Index(fields=["source", "-started_at"], name="import_run_by_source")]

    def __str__(self) -> str:
        return f"{self.source_id} run {self.pk}"


class VacancyProvenance(models.Model):
    """Where an imported vacancy came from: one row per (source, external id).

    A vacancy two systems publish has two rows; the one that created it (``primary``)
    is the one whose changes are applied. ``fingerprint`` (employer, title, place and
    salary, normalised) is how the second system's copy finds the first.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="provenances")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="provenances")
    external_id = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True, help_text=_("The original posting"))
    primary = models.BooleanField(default=True)
    fingerprint = models.CharField(max_length=64)
    # A digest of the mapped record: the same digest again is "unchanged".
    content_hash = models.CharField(max_length=64)
    changed_at = models.CharField(max_length=40, blank=True, help_text=_("As the source says"))
    unmapped = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("vacancy_id", "-primary", "id")
        indexes = [
            models.Index(fields=["fingerprint"], name="provenance_fingerprint"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"), name="provenance_source_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id} → {self.vacancy_id}"
