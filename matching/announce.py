"""Telling people about matches: the seeker ("a vacancy for you"), the employer's
members ("a candidate for your vacancy") and the employer's webhook.

Runs in its own task after the run committed, so matching stays fast; each match is
claimed (row lock, skip locked) and marked with the score told, in the same
transaction as the notifications it made, so a task run twice tells nothing twice.
An employer hears of a candidate only if the seeker's visibility allows that employer,
and never the name or contacts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from matching.models import Match, Standing
from notifications.models import Kind, WebhookEndpoint
from notifications.services import Message, notify_employer, notify_many
from seekers.models import SeekerProfile
from vacancies.models import EmployerMember

STALE_AFTER = timedelta(minutes=1)


def _untold() -> Any:
    return Match.objects.filter(standing=Standing.CURRENT).filter(
        Q(announced_score__isnull=True) | Q(score__gt=F("announced_score"))
    )


def matches_announce(*, match_ids: Sequence[int]) -> int:
    """Tell both sides of each match not told at its score yet; returns how many."""
    with transaction.atomic():
        matches = list(
            _untold()
            .filter(pk__in=list(match_ids))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("vacancy__employer", "vacancy__region", "seeker__user")
            .order_by("pk")
        )
        if not matches:
            return 0
        employers = {m.vacancy.employer_id for m in matches}
        members = _members(list(employers))
        visible = _visible_pairs(matches)
        # Asked once for the batch, not once a match.
        hooked = set(
            WebhookEndpoint.objects.filter(employer_id__in=employers, active=True).values_list(
                "employer_id", flat=True
            )
        )
        # One batch of notifications for the lot: a run's matches are told together.
        told: list[tuple[list[User], Message]] = []
        for match in matches:
            told += _tell(match, members.get(match.vacancy.employer_id, []), visible, hooked)
        notify_many(items=told)
        Match.objects.filter(pk__in=[m.pk for m in matches]).update(announced_score=F("score"))
    return len(matches)


def _members(employer_ids: list[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for member in EmployerMember.objects.filter(employer_id__in=set(employer_ids)).select_related(
        "user"
    ):
        found[member.employer_id].append(member.user)
    return found


def _visible_pairs(matches: list[Match]) -> set[tuple[int, int]]:
    """(employer, seeker) pairs where the seeker's visibility lets the employer see."""
    by_employer: dict[int, set[int]] = defaultdict(set)
    countries: dict[int, str] = {}
    for match in matches:
        employer = match.vacancy.employer
        by_employer[employer.pk].add(match.seeker_id)
        countries[employer.pk] = employer.country_id
    pairs: set[tuple[int, int]] = set()
    for employer_id, seeker_ids in by_employer.items():
        visible = SeekerProfile.objects.visible_to_employer(
            employer_id=employer_id, employer_country=countries[employer_id]
        ).filter(pk__in=seeker_ids)
        pairs.update((employer_id, pk) for pk in visible.values_list("pk", flat=True))
    return pairs


def _tell(
    match: Match, members: list[User], visible: set[tuple[int, int]], hooked: set[int]
) -> list[tuple[list[User], Message]]:
    """The notifications of one match (made by the caller, with the batch's), and its
    webhook event."""
    vacancy, seeker = match.vacancy, match.seeker
    score = float(match.score)
    told = [
        (
            [seeker.user],
            Message(
                kind=Kind.MATCH_FOR_SEEKER,
                key=f"match:{match.pk}",
                subject_type="match",
                subject_id=match.pk,
                link=f"/vacancies/{vacancy.pk}/",
                context={
                    "vacancy_title": vacancy.title,
                    "employer_name": vacancy.employer.name,
                    "region_name": vacancy.region.name,
                    "score": score,
                },
                score=score,
            ),
        )
    ]
    if (vacancy.employer_id, seeker.pk) not in visible:
        return told
    headline = seeker.headline
    told.append(
        (
            members,
            Message(
                kind=Kind.CANDIDATE_FOR_VACANCY,
                key=f"candidate:{match.pk}",
                subject_type="match",
                subject_id=match.pk,
                link=f"/employer/vacancies/{vacancy.pk}/matches/",
                context={
                    "vacancy_title": vacancy.title,
                    "candidate_headline": headline,
                    "candidate_ref": f"#{seeker.pk}",
                    "score": score,
                },
                score=score,
            ),
        )
    )
    if vacancy.employer_id not in hooked:
        return told
    notify_employer(
        employer_id=vacancy.employer_id,
        event_type="match.created" if match.announced_score is None else "match.improved",
        key=f"match:{match.pk}:{match.score}",
        payload={
            "vacancy_id": vacancy.pk,
            "match_id": match.pk,
            "score": score,
            "candidate": {"id": seeker.pk, "headline": headline},
            "components": {c["key"]: c["points"] for c in match.explanation.get("components", [])},
        },
    )
    return told


def matches_announce_sweep(*, limit: int = 2000) -> int:
    """Matches left untold (a task lost with the broker): tell them now, in batches."""
    from matching.services import announce_dispatch

    ids = list(
        _untold()
        .filter(computed_at__lt=timezone.now() - STALE_AFTER)
        .order_by("computed_at")
        .values_list("pk", flat=True)[:limit]
    )
    announce_dispatch(ids)
    return len(ids)
