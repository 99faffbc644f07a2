"""Matching listens to the apps below it: a changed vacancy or profile asks for a run."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from matching.models import Application, Kind, Match, Placement
from matching.services import match_request
from seekers.signals import profile_changed, profile_erasing
from vacancies.signals import vacancies_changed


@receiver(vacancies_changed, dispatch_uid="matching.vacancies_changed")
def on_vacancies_changed(*, vacancy_ids: list[int], **_: Any) -> None:
    match_request(kind=Kind.VACANCY, ids=vacancy_ids)


@receiver(profile_changed, dispatch_uid="matching.profile_changed")
def on_profile_changed(*, profile_id: int, **_: Any) -> None:
    match_request(kind=Kind.SEEKER, ids=[profile_id])


@receiver(profile_erasing, dispatch_uid="matching.profile_erasing")
def on_profile_erasing(*, profile_id: int, **_: Any) -> None:
    from matching.placements import placements_anonymise
    from notifications.services import notifications_forget

    # The other side's inbox named the seeker (“… applied”): it goes with the account.
    for subject_type, model in (
        ("application", Application),
        ("match", Match),
        ("placement", Placement),
    ):
        ids = list(model.objects.filter(seeker_id=profile_id).values_list("pk", flat=True))
        notifications_forget(subject_type=subject_type, subject_ids=ids)
    placements_anonymise(profile_id=profile_id)
