"""Reads of placements, by who asks: the reviewers' queue and a placement's whole
file, an employer's own placements, a seeker's own, and the documents behind them.

Each function owns its permission rule: a caller who may not see a placement finds
nothing (a 404), never a placement with parts hidden.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from matching.models import ApplicationEvent, Placement, PlacementDocument, PlacementEvent

# What every placement view draws, in a fixed number of queries whatever the page size.
_RELATED = ("employer", "vacancy", "programme")
_VACANCY_UNREAD = ("vacancy__search_vector", "vacancy__description")


def can_review_placements(user: User) -> bool:
    """The platform's reviewers and administrators (the services' own rule)."""
    return user.is_authenticated and (user.is_reviewer or user.is_platform_admin)


def _placements() -> QuerySet[Placement]:
    return Placement.objects.select_related(*_RELATED).defer(*_VACANCY_UNREAD)


def _with_file(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """With the audit trail (and who made each step) and the documents."""
    return placements.prefetch_related(
        Prefetch(
            "events", queryset=PlacementEvent.objects.select_related("by").order_by("at", "id")
        ),
        Prefetch("documents", queryset=PlacementDocument.objects.order_by("uploaded_at", "id")),
    )


def placements_for_review(*, user: User) -> QuerySet[Placement]:
    """Every placement, for a reviewer, oldest in the queue first; nothing for anyone
    else. Filter by status for the queue itself (the FilterSet defaults to pending)."""
    if not can_review_placements(user):
        return Placement.objects.none()
    return _placements().order_by("queued_at", "id")


def placement_file_for_review(*, user: User) -> QuerySet[Placement]:
    """The placements a reviewer may open, each with its audit trail, its documents and
    the history of the application that made it (gone when the seeker left)."""
    return _with_file(placements_for_review(user=user)).prefetch_related(
        Prefetch(
            "application__events",
            queryset=ApplicationEvent.objects.order_by("at", "id"),
        )
    )


def placements_for_employer(*, user: User) -> QuerySet[Placement]:
    """The placements of the employers the caller is a member of, newest hire first,
    with their audit trails and documents; another employer's are not there."""
    return _with_file(
        _placements().filter(employer__members__user_id=user.pk).order_by("-hired_at", "-id")
    )


def placements_for_seeker(*, user: User) -> QuerySet[Placement]:
    """The caller's own placements, newest hire first, with their audit trails."""
    return (
        _placements()
        .filter(seeker__user_id=user.pk)
        .prefetch_related(
            Prefetch("events", queryset=PlacementEvent.objects.order_by("at", "id")),
        )
        .order_by("-hired_at", "-id")
    )


def placement_document(
    *, placements: QuerySet[Placement], placement_id: int, document_id: int
) -> PlacementDocument | None:
    """One document of one of ``placements`` (the caller's scope, from the functions
    above), or ``None``."""
    return (
        PlacementDocument.objects.filter(
            pk=document_id,
            placement_id=placement_id,
            placement__in=placements.order_by().values("pk"),
        )
        .select_related("placement")
        .first()
    )
