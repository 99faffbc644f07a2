"""The employer's candidate search, the seeker's matches and an employer's ranked
candidates for a vacancy: one FilterSet per list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from matching.models import Match, MatchStatus, RelocationProgramme, Standing
from matching.programmes import match_qualifies
from seekers.models import MobilityScope, SeekerLanguage, SeekerProfile, SeekerSkill, WorkRight
from taxonomy.choices import HOURS_PER_MONTH, SalaryPeriod
from taxonomy.models import CEFRLevel, Country, Currency, Language, Region
from taxonomy.reference import EAEU_MEMBERS
from taxonomy.selectors import RateUnavailable, rate_on


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class CandidateFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("salary_max") is not None and data.get("salary_currency") is None:
            self.add_error("salary_currency", "Give the currency of salary_max.")
        return data


class CandidateFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), label="Lives in this country"
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label="Lives in this region"
    )
    occupation = django_filters.CharFilter(
        method="filter_occupation",
        label="Wants work in this ISCO-08 group (any level: 72 matches 7212)",
    )
    skills = NumberInFilter(
        method="filter_skills", label="Skill ids, comma-separated (any of them)"
    )
    skills_all = django_filters.BooleanFilter(
        method="filter_noop", label="Require every listed skill"
    )
    skill_level = django_filters.NumberFilter(
        method="filter_noop",
        min_value=Decimal(1),
        max_value=Decimal(5),
        label="Minimum level of the listed skills (1–5)",
    )
    language = django_filters.ModelChoiceFilter(
        queryset=Language.objects.all(), method="filter_language", label="Speaks this language"
    )
    language_level = django_filters.ChoiceFilter(
        choices=CEFRLevel.choices, method="filter_noop", label="At least this CEFR level"
    )
    citizenship = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), field_name="citizenships", label="Citizen of this country"
    )
    can_work_in = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        method="filter_can_work_in",
        label="Would work in this country (mobility) and needs no work permit there",
    )
    available_by = django_filters.DateFilter(
        method="filter_available_by", label="Can start by this date"
    )
    rotational = django_filters.BooleanFilter(
        field_name="accepts_rotational", label="Willing to do rotational work"
    )
    salary_max = django_filters.NumberFilter(
        method="filter_salary_max",
        min_value=Decimal(0),
        label="Asks at most this much a month (with salary_currency)",
    )
    salary_currency = django_filters.ModelChoiceFilter(
        queryset=Currency.objects.all(), method="filter_noop", label="Currency of salary_max"
    )
    q = django_filters.CharFilter(method="filter_text", label="Words of the headline or summary")

    class Meta:
        model = SeekerProfile
        fields = ("country", "region", "citizenship", "rotational")
        form = CandidateFilterForm

    def filter_noop(
        self, queryset: QuerySet[SeekerProfile], name: str, value: object
    ) -> QuerySet[SeekerProfile]:
        return queryset  # a modifier read by the filter it modifies

    def filter_skills(
        self, queryset: QuerySet[SeekerProfile], name: str, value: list[int]
    ) -> QuerySet[SeekerProfile]:
        level = self.form.cleaned_data.get("skill_level") or 1
        rows = SeekerSkill.objects.filter(profile=OuterRef("pk"), level__gte=level)
        if self.form.cleaned_data.get("skills_all"):
            for skill in value:
                queryset = queryset.filter(Exists(rows.filter(skill_id=skill)))
            return queryset
        return queryset.filter(Exists(rows.filter(skill_id__in=value)))

    def filter_occupation(
        self, queryset: QuerySet[SeekerProfile], name: str, value: str
    ) -> QuerySet[SeekerProfile]:
        code = value.strip()
        through = SeekerProfile.desired_occupations.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    seekerprofile_id=OuterRef("pk"), occupation__code__startswith=code
                )
            )
        )

    def filter_language(
        self, queryset: QuerySet[SeekerProfile], name: str, value: Language
    ) -> QuerySet[SeekerProfile]:
        minimum = self.form.cleaned_data.get("language_level") or CEFRLevel.A1
        allowed = [
            level for level in CEFRLevel.values if CEFRLevel.rank(level) >= CEFRLevel.rank(minimum)
        ]
        return queryset.filter(
            Exists(
                SeekerLanguage.objects.filter(
                    profile=OuterRef("pk"), language=value, level__in=allowed
                )
            )
        )

    def filter_can_work_in(
        self, queryset: QuerySet[SeekerProfile], name: str, value: Country
    ) -> QuerySet[SeekerProfile]:
        code = value.code
        through = SeekerProfile.mobility_countries.through
        regions = SeekerProfile.mobility_regions.through
        mobile = Q(mobility_scope=MobilityScope.ANYWHERE)
        if code in EAEU_MEMBERS:
            mobile |= Q(mobility_scope=MobilityScope.EAEU)
        mobile |= Q(
            mobility_scope__in=(MobilityScope.COUNTRY, MobilityScope.REGION), country_id=code
        )
        mobile |= Q(mobility_scope=MobilityScope.LISTED) & (
            Exists(through.objects.filter(seekerprofile_id=OuterRef("pk"), country_id=code))
            | Exists(
                regions.objects.filter(seekerprofile_id=OuterRef("pk"), region__country_id=code)
            )
        )
        # The right to work there: citizenship of that state or of any EAEU member (the
        # treaty waives work permits between members), or a valid permit there.
        citizens = SeekerProfile.citizenships.through.objects.filter(
            seekerprofile_id=OuterRef("pk")
        )
        countries = [*EAEU_MEMBERS] if code in EAEU_MEMBERS else [code]
        permits = WorkRight.objects.filter(profile=OuterRef("pk"), country_id=code).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())
        )
        right = Q(Exists(citizens.filter(country_id__in=countries))) | Q(Exists(permits))
        return queryset.filter(mobile).filter(right)

    def filter_available_by(
        self, queryset: QuerySet[SeekerProfile], name: str, value: date
    ) -> QuerySet[SeekerProfile]:
        return queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=value))

    def filter_text(
        self, queryset: QuerySet[SeekerProfile], name: str, value: str
    ) -> QuerySet[SeekerProfile]:
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(headline__icontains=word) | Q(summary__icontains=word))
        return queryset

    def filter_salary_max(
        self, queryset: QuerySet[SeekerProfile], name: str, amount: Decimal
    ) -> QuerySet[SeekerProfile]:
        """Expectations at most ``amount`` a month, each compared in its own currency at
        today's rate (hourly expectations × hours in a month)."""
        currency: Currency = self.form.cleaned_data["salary_currency"]
        today = timezone.localdate()
        try:
            pivot = rate_on(currency=currency.code, on=today)
        except RateUnavailable:
            return queryset.none()
        condition = Q()
        for code in Currency.objects.values_list("code", flat=True):
            try:
                local = amount * rate_on(currency=code, on=today) / pivot
            except RateUnavailable:
                continue
            condition |= Q(
                salary_currency_id=code, salary_period=SalaryPeriod.MONTH, salary_amount__lte=local
            )
            condition |= Q(
                salary_currency_id=code,
                salary_period=SalaryPeriod.HOUR,
                salary_amount__lte=local / HOURS_PER_MONTH,
            )
        return queryset.filter(condition)


# --- Matches ------------------------------------------------------------------------


class SeekerMatchFilter(django_filters.FilterSet):
    """The seeker's matches. Without ``standing`` only the current ones: a match of a
    closed vacancy, or one that fell below the threshold, shows only when asked for."""

    status = django_filters.MultipleChoiceFilter(
        choices=MatchStatus.choices, distinct=False, label="What you did with it (repeatable)"
    )
    standing = django_filters.MultipleChoiceFilter(
        choices=Standing.choices,
        distinct=False,
        label="Whether it stands today (repeatable; current unless given)",
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), field_name="vacancy__country", label="Work in this country"
    )
    min_score = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="gte",
        min_value=Decimal(0),
        max_value=Decimal(100),
        label="Score at least (0–100)",
    )
    relocation_programme = django_filters.BooleanFilter(
        method="filter_relocation_programme",
        label="Only matches a relocation programme in force supports (false: only the others)",
    )

    class Meta:
        model = Match
        fields = ("status", "standing", "country", "min_score", "relocation_programme")

    def filter_queryset(self, queryset: QuerySet[Match]) -> QuerySet[Match]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("standing"):
            queryset = queryset.filter(standing=Standing.CURRENT)
        return queryset

    def filter_relocation_programme(
        self, queryset: QuerySet[Match], name: str, value: bool | None
    ) -> QuerySet[Match]:
        if value is None:
            return queryset
        supported = match_qualifies()
        return queryset.filter(supported) if value else queryset.exclude(supported)


class VacancyMatchFilter(django_filters.FilterSet):
    """An employer's ranked candidates for one vacancy."""

    min_score = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="gte",
        min_value=Decimal(0),
        max_value=Decimal(100),
        label="Score at least (0–100)",
    )

    class Meta:
        model = Match
        fields = ("min_score",)


# --- Relocation programmes ----------------------------------------------------------


class RelocationProgrammeFilter(django_filters.FilterSet):
    """The relocation programmes in force."""

    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), label="Programmes of this country"
    )

    class Meta:
        model = RelocationProgramme
        fields = ("country",)
