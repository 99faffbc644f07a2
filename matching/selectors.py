"""Reads that cross seekers and vacancies: which employer a member acts for, the
candidates that employer may find, and the matches each side may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import User
from matching.models import Match, Standing
from seekers.models import SeekerProfile
from taxonomy.models import Country, Language, Region, Skill
from vacancies.models import Employer, Vacancy
from vacancies.selectors import vacancies_for_member


def employer_of(*, user: User) -> Employer | None:
    """The employer a member acts for (one employer per member), else ``None``."""
    if not user.is_authenticated or not user.is_employer_member:
        return None
    return Employer.objects.filter(members__user_id=user.pk).first()


def candidates_for_employer(*, employer: Employer) -> QuerySet[SeekerProfile]:
    """Profiles the employer may find, as their owners' visibility allows, newest first."""
    return (
        SeekerProfile.objects.visible_to_employer(
            employer_id=employer.pk, employer_country=employer.country_id
        )
        .for_public_view()
        .order_by("-id")
    )


def matches_for_seeker(*, user: User) -> QuerySet[Match]:
    """The caller's own matches in every standing, with their vacancies, best first;
    another seeker's match is simply not there (a 404)."""
    return (
        Match.objects.filter(seeker__user_id=user.pk)
        .select_related("vacancy__employer", "vacancy__region")
        .defer("vacancy__search_vector", "vacancy__description")
        .order_by("-score", "vacancy_id")
    )


def matches_for_pair(*, vacancy: Vacancy, profile: SeekerProfile) -> QuerySet[Match]:
    """The stored match of one pair (none or one), as the seeker's list draws it."""
    return (
        Match.objects.filter(vacancy=vacancy, seeker=profile)
        .select_related("vacancy__employer", "vacancy__region")
        .defer("vacancy__search_vector", "vacancy__description")
        .order_by("id")
    )


def vacancy_for_member(*, user: User, vacancy_id: int) -> Vacancy | None:
    """One of the caller's employer's vacancies (in any state), else ``None``."""
    # The member rule is vacancies_for_member's; its prefetches serve pages we do not draw.
    return vacancies_for_member(user=user).prefetch_related(None).filter(pk=vacancy_id).first()


def matches_for_vacancy(*, vacancy: Vacancy) -> QuerySet[Match]:
    """The vacancy's current matches whose seekers let its employer see them, best first.

    The same visibility rule as the candidate search (hidden profiles, profiles shown
    only in other countries, employers a seeker hid from, withdrawn consent): a match
    is no licence to see a profile. Each seeker comes with what
    ``profile_public_view`` reads, in a fixed number of queries whatever the page size.
    """
    employer = vacancy.employer
    visible = SeekerProfile.objects.visible_to_employer(
        employer_id=employer.pk, employer_country=employer.country_id
    )
    return (
        Match.objects.filter(vacancy=vacancy, standing=Standing.CURRENT)
        .filter(Exists(visible.filter(pk=OuterRef("seeker_id"))))
        .prefetch_related(Prefetch("seeker", queryset=SeekerProfile.objects.for_public_view()))
        .order_by("-score", "seeker_id")
    )


@dataclass(frozen=True)
class ExplanationNames:
    """Names, in the active language, of what stored explanations mention by key."""

    skills: Mapping[int, str]
    countries: Mapping[str, str]
    regions: Mapping[str, str]
    languages: Mapping[str, str]


def explanation_names(explanations: Iterable[Mapping[str, Any]]) -> ExplanationNames:
    """The names of the missing skills and of the countries, regions and languages the
    reasons mention, for any number of explanations (``MatchResult.as_json()``): one
    query per kind that is mentioned at all, so a page costs the same as one match."""
    skills: set[int] = set()
    codes: dict[str, set[str]] = {"country": set(), "region": set(), "language": set()}
    for explanation in explanations:
        skills.update(explanation.get("missing_skills", ()))
        for reason in explanation.get("reasons", ()):
            for param, found in codes.items():
                value = reason.get("params", {}).get(param)
                if isinstance(value, str):
                    found.add(value)
    return ExplanationNames(
        skills={s.pk: s.label for s in Skill.objects.filter(pk__in=skills)} if skills else {},
        countries=(
            {c.pk: c.name for c in Country.objects.filter(pk__in=codes["country"])}
            if codes["country"]
            else {}
        ),
        regions=(
            {r.pk: r.name for r in Region.objects.filter(pk__in=codes["region"])}
            if codes["region"]
            else {}
        ),
        languages=(
            {lang.pk: lang.name for lang in Language.objects.filter(pk__in=codes["language"])}
            if codes["language"]
            else {}
        ),
    )
