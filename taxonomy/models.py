"""Reference data: countries, regions, currencies and rates, languages, occupations, skills.

Loaded by ``manage.py load_taxonomy`` (idempotent) from pycountry and the CSV files in
``taxonomy/data/``; skills can also come from ESCO's CSV release (``import_esco``).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _localized(obj: object, field: str) -> str:
    """The label in the active language where we have it, English otherwise."""
    language = (get_language() or "en")[:2]
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en"))


class CEFRLevel(models.TextChoices):
    """Common European Framework of Reference levels, plus native speaker."""

    A1 = "A1", _("A1 — beginner")
    A2 = "A2", _("A2 — elementary")
    B1 = "B1", _("B1 — intermediate")
    B2 = "B2", _("B2 — upper intermediate")
    C1 = "C1", _("C1 — advanced")
    C2 = "C2", _("C2 — proficient")
    NATIVE = "native", _("Native")

    @classmethod
    def rank(cls, level: str) -> int:
        """1 for A1 … 6 for C2, 7 for native: comparable numbers."""
        return list(cls.values).index(level) + 1


class Country(models.Model):
    """A state (ISO 3166-1). The five EAEU members carry their accession date."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100, blank=True)
    name_kk = models.CharField(max_length=100, blank=True)
    is_eaeu_member = models.BooleanField(default=False)
    eaeu_accession = models.DateField(null=True, blank=True)
    is_main_origin = models.BooleanField(
        default=False, help_text=_("A main origin state of labour migrants to the EAEU.")
    )
    currency = models.ForeignKey(
        "Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("name_en",)
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_eaeu_member=False) | models.Q(eaeu_accession__isnull=False),
                name="country_eaeu_member_has_accession",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")


class Region(models.Model):
    """A first-level subdivision (ISO 3166-2) with its administrative centre."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City of republican significance")
        PROVINCE = "province", _("Province")
        REPUBLIC = "republic", _("Republic")
        KRAI = "krai", _("Krai")
        OBLAST = "oblast", _("Oblast")
        AUTONOMOUS_OKRUG = "autonomous_okrug", _("Autonomous okrug")
        AUTONOMOUS_OBLAST = "autonomous_oblast", _("Autonomous oblast")

    code = models.CharField(_("ISO 3166-2"), max_length=6, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100)
    name_kk = models.CharField(max_length=100, blank=True)
    centre_en = models.CharField(_("administrative centre"), max_length=100)
    centre_ru = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population_thousands = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("country_id", "name_en")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="region_centre_on_earth",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")

    @property
    def centre(self) -> str:
        return _localized(self, "centre")


class Currency(models.Model):
    code = models.CharField(_("ISO 4217"), max_length=3, primary_key=True)
    numeric = models.CharField(max_length=3)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100, blank=True)
    minor_units = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ("code",)
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return _localized(self, "name")


class ExchangeRate(models.Model):
    """How many units of ``currency`` one US dollar buys on ``date``.

    Rates against one pivot make any pair: amount_b = amount_a × rate_b / rate_a.
    """

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    date = models.DateField()
    units_per_usd = models.DecimalField(max_digits=18, decimal_places=6)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("currency_id", "-date")
        constraints = [
            models.UniqueConstraint(fields=("currency", "date"), name="rate_unique_per_day"),
            models.CheckConstraint(condition=models.Q(units_per_usd__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 USD = {self.units_per_usd} {self.currency_id} on {self.date}"


class PPPFactor(models.Model):
    """Purchasing-power-parity conversion factor: local currency units per international $."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="ppp_factors")
    year = models.PositiveSmallIntegerField()
    lcu_per_international_dollar = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("country_id", "-year")
        constraints = [
            models.UniqueConstraint(fields=("country", "year"), name="ppp_unique_per_year"),
            models.CheckConstraint(
                condition=models.Q(lcu_per_international_dollar__gt=0), name="ppp_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year}: {self.lcu_per_international_dollar}"


class Language(models.Model):
    """A language (ISO 639): the two-letter code where one exists, else the three-letter."""

    code = models.CharField(max_length=3, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    name_en = models.CharField(max_length=100)
    name_ru = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("name_en",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")


class Occupation(models.Model):
    """An ISCO-08 group: level 1 major group down to level 4 unit group."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ru = models.CharField(max_length=250)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="occupation_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _localized(self, "title")


class Skill(models.Model):
    """A skill or knowledge concept, ESCO-compatible (identified by its concept URI)."""

    class Type(models.TextChoices):
        SKILL = "skill/competence", _("Skill or competence")
        KNOWLEDGE = "knowledge", _("Knowledge")
        TRANSVERSAL = "transversal", _("Transversal skill")

    uri = models.CharField(_("concept URI"), max_length=255, unique=True)
    skill_type = models.CharField(max_length=20, choices=Type.choices, default=Type.SKILL)
    label_en = models.CharField(max_length=255)
    label_ru = models.CharField(max_length=255, blank=True)
    alt_labels_en = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    alt_labels_ru = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    description_en = models.TextField(blank=True)
    broader = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="narrower"
    )
    occupations = models.ManyToManyField(Occupation, blank=True, related_name="skills")
    source = models.CharField(max_length=20, default="borderless")

    objects: ClassVar[models.Manager[Skill]]

    class Meta:
        ordering = ("label_en", "id")
        indexes = [GinIndex(fields=["alt_labels_en"]), GinIndex(fields=["alt_labels_ru"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self, "label")
