"""The employer's vacancy form: the fields people fill in, checked again by the
services (which answer in the same field names)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import EmploymentType, WorkMode
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill
from vacancies.models import Eligibility

SKILL_LEVELS = [(n, str(n)) for n in range(1, 6)]


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    occupation = forms.ModelChoiceField(
        label=_("Occupation (ISCO-08)"),
        queryset=Occupation.objects.filter(code__regex=r"^[0-9]{4}$").order_by("code"),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.filter(is_eaeu_member=True).order_by("code")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.select_related("country").order_by("code")
    )
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    rotation_pattern = forms.CharField(
        label=_("Rotation (days on/days off, e.g. 15/15)"), max_length=10, required=False
    )
    work_mode = forms.ChoiceField(label=_("Where the work is done"), choices=WorkMode.choices)
    salary_min = forms.DecimalField(
        label=_("Salary from, a month"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    salary_max = forms.DecimalField(
        label=_("Salary up to, a month"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    salary_currency = forms.ModelChoiceField(
        label=_("Currency"),
        queryset=Currency.objects.filter(
            code__in=("AMD", "BYN", "KZT", "KGS", "RUB", "USD", "EUR")
        ),
        required=False,
    )
    eligibility = forms.ChoiceField(label=_("Who may apply"), choices=Eligibility.choices)
    skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"), queryset=Skill.objects.order_by("label_en")
    )
    skill_level = forms.TypedChoiceField(
        label=_("Level asked of each skill (1–5)"), choices=SKILL_LEVELS, coerce=int, initial=3
    )
    language = forms.ModelChoiceField(
        label=_("Language required"), queryset=Language.objects.all(), required=False
    )
    language_level = forms.ChoiceField(
        label=_("At least at level"), choices=CEFRLevel.choices, required=False
    )
    expires_on = forms.DateField(
        label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=30)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language") and not data.get("language_level"):
            self.add_error("language_level", _("Choose the level of the language."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """What ``vacancy_create`` takes, from the cleaned form."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title", "occupation", "country", "region", "city", "employment_type",
                "rotation_pattern", "work_mode", "salary_min", "salary_max",
                "salary_currency", "eligibility", "expires_on", "description",
            )
        }  # fmt: skip
        fields["skills"] = [
            {"skill": skill, "min_level": data["skill_level"], "required": True}
            for skill in data["skills"]
        ]
        fields["languages"] = (
            [{"language": data["language"], "min_level": data["language_level"]}]
            if data.get("language")
            else []
        )
        return fields


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ModelChoiceField(
        label=_("Country of registration"),
        queryset=Country.objects.filter(is_eaeu_member=True).order_by("code"),
    )
    registration_number = forms.CharField(
        label=_("Registration number (BIN, INN, UNP, TIN …)"), max_length=20
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
