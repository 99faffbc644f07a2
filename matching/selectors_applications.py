"""Reads of applications, by who asks: the seeker's own road to each vacancy, and an
employer's pipeline of one vacancy. Someone else's application is simply not there
(a 404). Each queryset loads what its API representation reads, in a fixed number of
queries whatever the page size."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from matching.models import Application, ApplicationEvent
from seekers.models import ContactAccess, SeekerProfile
from vacancies.models import Vacancy

# Who moved an application is not told: the seeker's history must not name the
# employer's recruiters, nor the employer's name the seeker whose contacts are hidden.
_EVENTS = Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id"))


def _with_vacancy(applications: QuerySet[Application]) -> QuerySet[Application]:
    # The vacancy's text and search vector are kilobytes nobody draws in a summary.
    return applications.select_related("vacancy__employer", "vacancy__region", "placement").defer(
        "vacancy__search_vector", "vacancy__description"
    )


def seeker_profile_of(*, user: User) -> SeekerProfile | None:
    """The caller's own profile, if there is one."""
    return SeekerProfile.objects.filter(user_id=user.pk).first()


def applications_for_seeker(*, user: User) -> QuerySet[Application]:
    """The caller's applications and invitations, newest first, with their vacancies and
    histories."""
    return (
        _with_vacancy(Application.objects.filter(seeker__user_id=user.pk))
        .prefetch_related(_EVENTS)
        .order_by("-id")
    )


def applications_for_member(*, user: User) -> QuerySet[Application]:
    """Applications to the vacancies of the caller's employer, newest first, with each
    candidate loaded for ``profile_public_view`` and the history."""
    return (
        _with_vacancy(Application.objects.filter(vacancy__employer__members__user_id=user.pk))
        .prefetch_related(
            Prefetch("seeker", queryset=SeekerProfile.objects.for_public_view()), _EVENTS
        )
        .order_by("-id")
    )


def applications_for_vacancy(*, vacancy: Vacancy) -> QuerySet[Application]:
    """The pipeline of one vacancy (the caller checked it is theirs), newest first."""
    return (
        _with_vacancy(Application.objects.filter(vacancy=vacancy))
        .prefetch_related(Prefetch("seeker", queryset=SeekerProfile.objects.for_public_view()))
        .order_by("-id")
    )


def contacts_logged_since(*, profile_id: int, employer_id: int, since: datetime) -> bool:
    """Whether the seeker's contact log already shows this employer since ``since``."""
    return ContactAccess.objects.filter(
        profile_id=profile_id, employer_id=employer_id, at__gte=since
    ).exists()
