"""Matching's data: matches and the outbox that asks for them; applications and
placements with their histories; relocation programmes."""

from matching.models.applications import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Party,
)
from matching.models.matches import Kind, Match, MatchRequest, MatchRun, MatchStatus, Standing
from matching.models.placements import (
    LegalBasis,
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "Kind",
    "LegalBasis",
    "Match",
    "MatchRequest",
    "MatchRun",
    "MatchStatus",
    "Party",
    "Placement",
    "PlacementDocument",
    "PlacementEvent",
    "PlacementStatus",
    "RelocationProgramme",
    "Standing",
]
