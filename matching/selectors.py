"""Reads that cross seekers and vacancies: which employer a member acts for, and the
candidates that employer may find."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from seekers.models import SeekerProfile
from vacancies.models import Employer


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
