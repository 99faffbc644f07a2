"""What matching adds to a seeker's data export (registered in ``MatchingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from matching.models import Match
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
        }
        for match in Match.objects.filter(seeker=profile)
        .select_related("vacancy__employer")
        .order_by("created_at", "id")
    ]
