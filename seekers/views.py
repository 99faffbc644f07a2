"""The seeker's profile editor, in steps: about you, skills, languages, where and for
how much, and who may see it. Each step saves through the services and goes on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import form_errors_from
from seekers import services
from seekers.forms import (
    AboutForm,
    LanguagesForm,
    MobilityForm,
    SkillsForm,
    StepForm,
    VisibilityForm,
)
from seekers.models import SeekerProfile, Visibility
from seekers.selectors import profile_for_owner
from taxonomy.models import Skill

STEPS: dict[str, tuple[type[StepForm], Any]] = {
    "about": (AboutForm, _("About you")),
    "skills": (SkillsForm, _("Skills")),
    "languages": (LanguagesForm, _("Languages")),
    "mobility": (MobilityForm, _("Where and for how much")),
    "visibility": (VisibilityForm, _("Who sees it")),
}
ORDER = list(STEPS)


def _initial(step: str, profile: SeekerProfile | None) -> dict[str, Any]:
    """What the step's form shows of the stored profile."""
    if profile is None:
        return {}
    if step == "about":
        return {
            "headline": profile.headline,
            "summary": profile.summary,
            "phone": profile.phone,
            "country": profile.country_id,
            "region": profile.region_id,
            "city": profile.city,
            "citizenships": list(profile.citizenships.all()),
            "desired_occupations": list(profile.desired_occupations.all()),
        }
    if step == "skills":
        rows = profile.skills.select_related("skill").order_by("id")
        initial: dict[str, Any] = {}
        for n, row in enumerate(rows):
            initial[f"skill_{n}"], initial[f"level_{n}"] = row.skill.label, str(row.level)
        return initial
    if step == "languages":
        initial = {}
        for n, lang in enumerate(profile.languages.order_by("id")):
            initial[f"language_{n}"], initial[f"level_{n}"] = lang.language_id, lang.level
        return initial
    if step == "mobility":
        return {
            "mobility_scope": profile.mobility_scope,
            "mobility_countries": list(profile.mobility_countries.all()),
            "mobility_regions": list(profile.mobility_regions.all()),
            "remote_preference": profile.remote_preference,
            "accepts_rotational": profile.accepts_rotational,
            "available_from": profile.available_from,
            "salary_amount": profile.salary_amount,
            "salary_currency": profile.salary_currency_id,
        }
    return {
        "visibility": profile.visibility,
        "visible_in_countries": list(profile.visible_in_countries.all()),
        "consent": profile.consent_given_at is not None and profile.consent_withdrawn_at is None,
    }


def _save(step: str, form: forms.Form, user: User, profile: SeekerProfile | None) -> None:
    data = form.cleaned_data
    if step == "about":
        fields = {
            k: v
            for k, v in data.items()
            if k not in ("country", "citizenships", "desired_occupations")
        }
        if profile is None:
            services.profile_create(
                user=user,
                country=data["country"],
                citizenships=data["citizenships"],
                desired_occupations=data["desired_occupations"],
                **fields,
            )
        else:
            services.profile_update(
                profile=profile,
                country=data["country"],
                citizenships=data["citizenships"],
                desired_occupations=data["desired_occupations"],
                **fields,
            )
        return
    assert profile is not None  # noqa: S101 - the first step makes it
    if step == "skills":
        services.profile_set_skills(profile=profile, skills=data["entries"])
    elif step == "languages":
        services.profile_set_languages(profile=profile, languages=data["entries"])
    elif step == "mobility":
        services.profile_update(
            profile=profile,
            mobility_countries=data.pop("mobility_countries"),
            mobility_regions=data.pop("mobility_regions"),
            **data,
        )
    else:
        if data["consent"]:
            profile = services.consent_give(profile=profile)
        services.profile_update(
            profile=profile,
            visibility=data["visibility"],
            visible_in_countries=(
                data["visible_in_countries"] if data["visibility"] == Visibility.COUNTRIES else None
            ),
        )


@login_required
def profile_step(request: HttpRequest, step: str = "") -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    if not user.is_seeker:
        raise PermissionDenied
    profile = profile_for_owner(user=user)
    if not step:
        return redirect("profile-step", step="about" if profile is None else "skills")
    if step not in STEPS:
        raise Http404
    if profile is None and step != "about":
        return redirect("profile-step", step="about")
    form_class, title = STEPS[step]
    form = form_class(request.POST or None, initial=_initial(step, profile))
    if request.method == "POST" and form.is_valid():
        try:
            _save(step, form, user, profile)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            position = ORDER.index(step)
            if position + 1 < len(ORDER):
                return redirect("profile-step", step=ORDER[position + 1])
            messages.success(request, _("Your profile is saved. Matching starts within a minute."))
            return redirect("my-matches")
    return render(
        request,
        "seekers/profile_step.html",
        {
            "form": form,
            "step": step,
            "title": title,
            "steps": [(name, label, name == step) for name, (_f, label) in STEPS.items()],
            "number": ORDER.index(step) + 1,
            "total": len(ORDER),
            "skills": Skill.objects.order_by("label_en").values_list("label_en", "label_ru")
            if step == "skills"
            else (),
        },
        status=400 if form.errors else 200,
    )
