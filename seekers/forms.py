"""The profile editor's steps: each a form of its own, checked again by the services
(which answer in the same field names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seekers.models import MobilityScope, RemotePreference, Visibility
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill

SKILL_ROWS = 8
LANGUAGE_ROWS = 4
SKILL_LEVELS = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]


class StepForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AboutForm(StepForm):
    headline = forms.CharField(label=_("What you do, in a line"), max_length=200)
    summary = forms.CharField(label=_("About you"), widget=forms.Textarea, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    country = forms.ModelChoiceField(
        label=_("Country you live in"), queryset=Country.objects.order_by("code")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    citizenships = forms.ModelMultipleChoiceField(
        label=_("Citizenship"), queryset=Country.objects.order_by("code")
    )
    desired_occupations = forms.ModelMultipleChoiceField(
        label=_("Occupations you look for (ISCO-08)"),
        queryset=Occupation.objects.filter(code__regex=r"^[0-9]{4}$").order_by("code"),
        required=False,
    )


def skill_by_label(text: str) -> Skill | None:
    """The taxonomy skill a typed label names, in English or Russian (alternative
    labels too), ignoring case."""
    text = text.strip()
    if not text:
        return None
    return (
        Skill.objects.filter(Q(label_en__iexact=text) | Q(label_ru__iexact=text))
        .order_by("id")
        .first()
        or Skill.objects.filter(
            Q(alt_labels_en__contains=[text]) | Q(alt_labels_ru__contains=[text])
        )
        .order_by("id")
        .first()
    )


class SkillsForm(StepForm):
    """Up to eight skills, each typed with the list's suggestions and given a level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(SKILL_ROWS):
            self.fields[f"skill_{n}"] = forms.CharField(
                label=_("Skill"), required=False, widget=forms.TextInput(attrs={"list": "skills"})
            )
            self.fields[f"level_{n}"] = forms.ChoiceField(
                label=_("Level (1–5)"), choices=SKILL_LEVELS, required=False
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"skill_{n}"], self[f"level_{n}"]) for n in range(SKILL_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entries: list[dict[str, Any]] = []
        for n in range(SKILL_ROWS):
            text, level = data.get(f"skill_{n}", ""), data.get(f"level_{n}", "")
            if not text:
                continue
            skill = skill_by_label(text)
            if skill is None:
                self.add_error(f"skill_{n}", _("Choose a skill from the list."))
            elif not level:
                self.add_error(f"level_{n}", _("Give your level."))
            else:
                entries.append({"skill": skill, "level": int(level)})
        if not entries and not self.errors:
            raise forms.ValidationError(_("Add at least one skill."))
        data["entries"] = entries
        return data


class LanguagesForm(StepForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(LANGUAGE_ROWS):
            self.fields[f"language_{n}"] = forms.ModelChoiceField(
                label=_("Language"), queryset=Language.objects.all(), required=False
            )
            self.fields[f"level_{n}"] = forms.ChoiceField(
                label=_("Level"), choices=[("", "—"), *CEFRLevel.choices], required=False
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"language_{n}"], self[f"level_{n}"]) for n in range(LANGUAGE_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entries = []
        for n in range(LANGUAGE_ROWS):
            language, level = data.get(f"language_{n}"), data.get(f"level_{n}")
            if language and not level:
                self.add_error(f"level_{n}", _("Give your level."))
            elif language:
                entries.append({"language": language, "level": level})
        data["entries"] = entries
        return data


class MobilityForm(StepForm):
    mobility_scope = forms.ChoiceField(
        label=_("Where would you work?"), choices=MobilityScope.choices
    )
    mobility_countries = forms.ModelMultipleChoiceField(
        label=_("Countries (if you list them)"),
        queryset=Country.objects.filter(is_eaeu_member=True).order_by("code"),
        required=False,
    )
    mobility_regions = forms.ModelMultipleChoiceField(
        label=_("Regions (if you list them)"),
        queryset=Region.objects.order_by("code"),
        required=False,
    )
    remote_preference = forms.ChoiceField(label=_("Remote work"), choices=RemotePreference.choices)
    accepts_rotational = forms.BooleanField(
        label=_("I take rotational shift work (vakhta)"), required=False
    )
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    salary_amount = forms.DecimalField(
        label=_("Salary you expect, a month"),
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


class VisibilityForm(StepForm):
    visibility = forms.ChoiceField(
        label=_("Who may see your profile"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    visible_in_countries = forms.ModelMultipleChoiceField(
        label=_("Employers in these countries (if you choose countries)"),
        queryset=Country.objects.filter(is_eaeu_member=True).order_by("code"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Borderless processes my profile to match me with vacancies and "
            "shows it as chosen above."
        ),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") != Visibility.HIDDEN and not data.get("consent"):
            self.add_error("consent", _("Employers can see you only with your consent."))
        return data
