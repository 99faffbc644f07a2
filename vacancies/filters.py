"""FilterSets of the vacancy lists: the public search and an employer's own list."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taxonomy.choices import EmploymentType, WorkMode
from taxonomy.models import Country, Currency, Language, Occupation, Region, Skill
from vacancies.models import Vacancy, VacancyLanguage, VacancyQuerySet, VacancySkill
from vacancies.selectors import salary_at_least, salary_currency_has_rate
from vacancies.services.salaries import vacancies_salary_usd_refresh

# Each ordering ends with the id, so it is unique: the cursor pagination needs that.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "newest": ("-published_at", "-id"),
    "salary": ("-salary_usd", "-id"),
    "relevance": ("-rank", "-id"),
}
ORDERING_CHOICES = [
    ("newest", gettext_lazy("Newest first")),
    ("salary", gettext_lazy("Highest salary first (compared in US dollars a month)")),
    ("relevance", gettext_lazy("Best match to the search text first (needs q)")),
]
SKILL_IDS_MAX = 20
BOOLEAN_WORDS = frozenset({"", "true", "false", "1", "0"})


def vacancy_ordering(ordering: str | None, q: str | None) -> tuple[str, ...]:
    """The order of the public list: relevance when there is a search text, else newest."""
    chosen = ordering or ("relevance" if q else "newest")
    if chosen == "relevance" and not q:
        chosen = "newest"
    return ORDERINGS.get(chosen, ORDERINGS["newest"])


class VacancySearchForm(forms.Form):
    """Checks the values a method filter cannot check by its field alone."""

    def clean_occupation(self) -> str | None:
        code: str | None = self.cleaned_data.get("occupation")
        if not code:
            return None
        if not re.fullmatch(r"[0-9]{1,4}", code):
            raise forms.ValidationError(_("An ISCO-08 code has one to four digits."))
        if not Occupation.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No ISCO-08 group has the code %(code)s.") % {"code": code}
            )
        return code

    def clean_skills(self) -> list[int] | None:
        raw: str | None = self.cleaned_data.get("skills")
        if not raw:
            return None
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Give skill ids separated by commas, e.g. 12,40."))
        if len(parts) > SKILL_IDS_MAX:
            raise forms.ValidationError(_("At most %(n)d skills at a time.") % {"n": SKILL_IDS_MAX})
        ids = sorted({int(part) for part in parts})
        known = set(Skill.objects.filter(id__in=ids).values_list("id", flat=True))
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            raise forms.ValidationError(_("Unknown skill: %(ids)s.") % {"ids": ", ".join(unknown)})
        return ids

    def clean_salary_currency(self) -> str | None:
        code = (self.cleaned_data.get("salary_currency") or "").strip().upper()
        if not code:
            return None
        if not Currency.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown currency: %(code)s.") % {"code": code})
        if not salary_currency_has_rate(currency=code):
            raise forms.ValidationError(
                _("No exchange rate is known for %(code)s.") % {"code": code}
            )
        return code

    def _clean_boolean(self, name: str) -> bool | None:
        # Django's NullBooleanField reads anything it does not know as "not given".
        raw = str(self.data.get(name, "")).strip().lower()
        if raw not in BOOLEAN_WORDS:
            raise forms.ValidationError(_("Give true or false."))
        value: bool | None = self.cleaned_data.get(name)
        return value

    def clean_remote(self) -> bool | None:
        return self._clean_boolean("remote")

    def clean_skills_all(self) -> bool | None:
        return self._clean_boolean("skills_all")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency_missing = not data.get("salary_currency") and "salary_currency" not in self.errors
        if data.get("salary_min") is not None and currency_missing:
            self.add_error("salary_currency", _("Give the currency of salary_min, e.g. KZT."))
        if data.get("ordering") == "relevance" and not data.get("q"):
            self.add_error("ordering", _("Ordering by relevance needs a search text (q)."))
        return data


def _unchanged(queryset: VacancyQuerySet, name: str, value: Any) -> VacancyQuerySet:
    """For parameters that only modify another filter (skills_all, salary_currency)."""
    return queryset


class VacancyFilter(django_filters.FilterSet):
    """The public search over open vacancies."""

    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.filter(is_eaeu_member=True),
        label=gettext_lazy("Member state (ISO code)"),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=gettext_lazy("Region (ISO 3166-2 code)")
    )
    occupation = django_filters.CharFilter(
        method="filter_occupation",
        label=gettext_lazy("ISCO-08 code at any level: 7 or 72 or 721 or 7212"),
    )
    skills = django_filters.CharFilter(
        method="filter_skills",
        label=gettext_lazy("Skill ids, comma-separated; any of them unless skills_all=true"),
    )
    skills_all = django_filters.BooleanFilter(
        method=_unchanged, label=gettext_lazy("Every one of the skills")
    )
    salary_min = django_filters.NumberFilter(
        method="filter_salary_min",
        min_value=Decimal(0),
        label=gettext_lazy("Can pay at least this much a month, in salary_currency"),
    )
    salary_currency = django_filters.CharFilter(
        method=_unchanged, label=gettext_lazy("Currency of salary_min (ISO 4217)")
    )
    remote = django_filters.BooleanFilter(
        method="filter_remote", label=gettext_lazy("Remote work only (or on-site only if false)")
    )
    work_mode = django_filters.MultipleChoiceFilter(choices=WorkMode.choices)
    employment_type = django_filters.MultipleChoiceFilter(choices=EmploymentType.choices)
    language = django_filters.ModelChoiceFilter(
        queryset=Language.objects.all(),
        method="filter_language",
        label=gettext_lazy("Asks for this language (ISO 639 code)"),
    )
    posted_since = django_filters.DateFilter(
        method="filter_posted_since", label=gettext_lazy("Published on or after this day")
    )
    open_to = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        method="filter_open_to",
        label=gettext_lazy("Open to a citizen of this country (ISO code)"),
    )
    q = django_filters.CharFilter(
        method="filter_text", label=gettext_lazy("Words to search for, Russian or English")
    )
    ordering = django_filters.ChoiceFilter(choices=ORDERING_CHOICES, method=_unchanged)

    class Meta:
        model = Vacancy
        form = VacancySearchForm
        fields = (
            "country", "region", "occupation", "skills", "skills_all", "salary_min",
            "salary_currency", "remote", "work_mode", "employment_type", "language",
            "posted_since", "open_to", "q", "ordering",
        )  # fmt: skip

    def filter_occupation(
        self, queryset: VacancyQuerySet, name: str, value: str
    ) -> VacancyQuerySet:
        # ISCO-08 codes nest by prefix, and vacancies carry unit groups (four digits).
        units = Occupation.objects.filter(code__startswith=value, level=4).values("code")
        return queryset.filter(occupation_id__in=units)

    def filter_skills(
        self, queryset: VacancyQuerySet, name: str, value: list[int]
    ) -> VacancyQuerySet:
        asks = VacancySkill.objects.filter(vacancy=OuterRef("pk"))
        if self.form.cleaned_data.get("skills_all"):
            for skill_id in value:
                queryset = queryset.filter(Exists(asks.filter(skill_id=skill_id)))
            return queryset
        return queryset.filter(Exists(asks.filter(skill_id__in=value)))

    def filter_salary_min(
        self, queryset: VacancyQuerySet, name: str, value: Decimal
    ) -> VacancyQuerySet:
        currency = self.form.cleaned_data.get("salary_currency")
        if not currency:
            return queryset.none()  # the form has refused the request already
        return salary_at_least(queryset, amount=value, currency=currency)

    def filter_remote(self, queryset: VacancyQuerySet, name: str, value: bool) -> VacancyQuerySet:
        if value:
            return queryset.filter(work_mode=WorkMode.REMOTE)
        return queryset.exclude(work_mode=WorkMode.REMOTE)

    def filter_language(
        self, queryset: VacancyQuerySet, name: str, value: Language
    ) -> VacancyQuerySet:
        asks = VacancyLanguage.objects.filter(vacancy=OuterRef("pk"), language=value)
        return queryset.filter(Exists(asks))

    def filter_posted_since(
        self, queryset: VacancyQuerySet, name: str, value: date
    ) -> VacancyQuerySet:
        # The start of the day where the platform runs, so the index on published_at serves.
        since = timezone.make_aware(datetime.combine(value, time.min))
        return queryset.filter(published_at__gte=since)

    def filter_open_to(
        self, queryset: VacancyQuerySet, name: str, value: Country
    ) -> VacancyQuerySet:
        return queryset.open_to(value)

    def filter_text(self, queryset: VacancyQuerySet, name: str, value: str) -> VacancyQuerySet:
        return queryset.search(value)

    def filter_queryset(self, queryset: VacancyQuerySet) -> VacancyQuerySet:  # type: ignore[override]
        filtered: VacancyQuerySet = super().filter_queryset(queryset)  # type: ignore[assignment]
        data = self.form.cleaned_data
        ordering = vacancy_ordering(data.get("ordering"), data.get("q"))
        if ordering == ORDERINGS["salary"]:
            # From its own indexed table, at the day's rates (refreshed here once when
            # they change): the index gives the highest first without a sort of all.
            vacancies_salary_usd_refresh()
            filtered = filtered.filter(salary_in_usd__isnull=False).annotate(
                salary_usd=F("salary_in_usd__amount")
            )
        return filtered.order_by(*ordering)


class EmployerVacancyFilter(django_filters.FilterSet):
    """An employer's own vacancies, in any state."""

    status = django_filters.MultipleChoiceFilter(choices=Vacancy.Status.choices)
    q = django_filters.CharFilter(
        method="filter_text", label=gettext_lazy("Words to search for, Russian or English")
    )

    class Meta:
        model = Vacancy
        fields = ("status", "q")

    def filter_text(self, queryset: VacancyQuerySet, name: str, value: str) -> VacancyQuerySet:
        return queryset.search(value)
