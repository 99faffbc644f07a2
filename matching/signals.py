"""What matching announces to the apps that act on matches (notifications)."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True, slots=True)
class MatchEvent:
    """A pair that became a current match (``previous_score`` None) or whose score rose."""

    match_id: int
    vacancy_id: int
    seeker_id: int
    score: float
    previous_score: float | None


# Sent with ``events`` (a list of MatchEvent) inside the transaction that stored the
# matches: a receiver's own rows commit with them or not at all, so an event is
# neither lost nor told twice.
matches_found = Signal()
