"""What matching adds to a seeker's data export (registered in ``MatchingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from accounts.exports import fields_of
from matching.models import Application, Match, Placement
from seekers.models import SeekerProfile


def matches_export(profile: SeekerProfile) -> list[dict[str, Any]]:
    """The seeker's matches: every one, standing or not, with its explanation."""
    return [
        {
            "vacancy_id": match.vacancy_id,
            "vacancy_title": match.vacancy.title,
            "employer": match.vacancy.employer.name,
            "score": match.score,
            "standing": match.standing,
            "status": match.status,
            "created_at": match.created_at,
            "computed_at": match.computed_at,
            "explanation": match.explanation,
            # what the rest of the row stores
            **fields_of(
                match,
                exclude=(
                    "seeker",
                    "vacancy",
                    "score",
                    "standing",
                    "status",
                    "created_at",
                    "computed_at",
                    "explanation",
                ),
            ),
        }
        for match in Match.objects.filter(seeker=profile)
        .select_related("vacancy__employer")
        .order_by("created_at", "id")
    ]


def applications_export(profile: SeekerProfile) -> list[dict[str, Any]]:
    """The seeker's applications and invitations, each with its history."""
    return [
        fields_of(application, exclude=("seeker",))
        | {"events": [fields_of(event) for event in application.events.all()]}
        for application in Application.objects.filter(seeker=profile)
        .prefetch_related("events")
        .order_by("created_at", "id")
    ]


def placements_export(profile: SeekerProfile) -> list[dict[str, Any]]:
    """The seeker's placements, their review history and their documents' names (the
    files are the employer's and the reviewers' to hand out)."""
    return [
        fields_of(placement, exclude=("seeker",))
        | {
            "events": [fields_of(event) for event in placement.events.all()],
            "documents": [
                fields_of(document, exclude=("stored_name",))
                for document in placement.documents.all()
            ],
        }
        for placement in Placement.objects.filter(seeker=profile)
        .prefetch_related("events", "documents")
        .order_by("id")
    ]
