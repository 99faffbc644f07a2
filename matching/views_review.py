"""The reviewers' pages: the placement queue, a placement with its history and
documents, and the decision."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from matching.models import Placement, PlacementStatus
from matching.placements import placement_approve, placement_reject, placement_request_info

QUEUE_PAGE = 25
DECISIONS: dict[str, Callable[[Placement, User, str], Placement]] = {
    "approve": lambda p, by, text: placement_approve(placement=p, by=by, note=text),
    "reject": lambda p, by, text: placement_reject(placement=p, by=by, reason=text),
    "request_info": lambda p, by, text: placement_request_info(placement=p, by=by, question=text),
}


def _reviewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    if not (user.is_reviewer or user.is_platform_admin):
        raise PermissionDenied
    return user


@login_required
def placement_queue(request: HttpRequest) -> HttpResponse:
    """Waiting first (oldest first), then the rest, newest first."""
    _reviewer(request)
    status = request.GET.get("status", PlacementStatus.PENDING)
    if status not in PlacementStatus.values:
        status = PlacementStatus.PENDING
    listed = Placement.objects.select_related(
        "vacancy", "employer", "origin_country", "destination_country", "destination_region"
    ).filter(status=status)
    listed = (
        listed.order_by("queued_at", "id")
        if status == PlacementStatus.PENDING
        else listed.order_by("-queued_at", "-id")
    )
    page = Paginator(listed, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/placement_queue.html",
        {"page": page, "status": status, "statuses": PlacementStatus.choices},
    )


@login_required
def placement_page(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer(request)
    placement = get_object_or_404(
        Placement.objects.select_related(
            "vacancy", "employer", "occupation", "origin_country", "origin_region",
            "destination_country", "destination_region", "citizenship", "programme",
            "seeker__user",
        ),
        pk=pk,
    )  # fmt: skip
    return render(
        request,
        "matching/placement.html",
        {
            "placement": placement,
            "events": placement.events.select_related("by").order_by("at", "id"),
            "documents": placement.documents.order_by("id"),
            "open": placement.status in (PlacementStatus.PENDING, PlacementStatus.NEEDS_INFO),
        },
    )


@login_required
@require_POST
def placement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reviewer(request)
    placement = get_object_or_404(Placement, pk=pk)
    decide = DECISIONS.get(request.POST.get("decision", ""))
    if decide is None:
        messages.error(request, _("Choose approve, reject or ask for information."))
        return redirect("placement", pk=pk)
    try:
        decide(placement, user, request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect("placement", pk=pk)
    messages.success(request, _("Decision recorded; both sides are told."))
    return redirect("placement-queue")
