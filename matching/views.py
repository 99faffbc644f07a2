"""Pages that join both sides: a vacancy as a signed-in seeker sees it (the salary in
their currency, their match with its reasons), the seeker's matches and applications,
and an application's page for either side."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from accounts.models import Role, User
from matching.api_matches import explanation_view
from matching.applications import (
    HireDetails,
    allowed_moves,
    application_apply,
    application_invite,
    application_move,
    party_of,
)
from matching.models import Application, ApplicationStatus, Match, Standing
from matching.selectors import (
    explanation_names,
    matches_for_seeker,
    matches_for_vacancy,
    vacancy_for_member,
)
from seekers.models import SeekerProfile
from seekers.selectors import profile_for_owner, profile_public_view
from taxonomy.selectors import RateUnavailable, convert
from vacancies import selectors as vacancy_selectors
from vacancies.jsonld import vacancy_jobposting
from vacancies.models import Vacancy

# What may not appear raw inside <script>: the JSON-LD must not end the element.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def vacancy_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One open vacancy with its schema.org ``JobPosting`` for search engines and
    other exchanges; for a signed-in seeker also the salary in their own currency and
    why it matches them (or not)."""
    vacancy = get_object_or_404(
        vacancy_selectors.vacancies_public().select_related(
            "employer", "occupation", "country", "region", "salary_currency"
        ),
        pk=pk,
    )
    posting = json.dumps(vacancy_jobposting(vacancy), cls=DjangoJSONEncoder, ensure_ascii=False)
    profile = (
        SeekerProfile.objects.filter(user_id=request.user.pk).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "vacancies/detail.html",
        {
            "vacancy": vacancy,
            "in_your_currency": _salary_in(profile, vacancy),
            "match": _match_of(profile, vacancy),
            "application": (
                Application.objects.filter(seeker=profile, vacancy=vacancy)
                .order_by("-created_at")
                .first()
                if profile is not None
                else None
            ),
            "jobposting": mark_safe(posting.translate(_SCRIPT_SAFE)),  # noqa: S308 - escaped above
        },
    )


def _salary_in(
    profile: SeekerProfile | None, vacancy: Vacancy
) -> tuple[Decimal | None, Decimal | None, str] | None:
    """The salary range in the currency of the seeker's own expectation, at today's
    rate; None when there is nothing to convert."""
    if profile is None or vacancy.salary_currency_id is None:
        return None
    target = profile.salary_currency_id
    if not target or target == vacancy.salary_currency_id:
        return None
    today = timezone.localdate()
    try:
        low, high = (
            None
            if amount is None
            else convert(amount=amount, source=vacancy.salary_currency_id, target=target, on=today)
            for amount in (vacancy.salary_min, vacancy.salary_max)
        )
    except RateUnavailable:
        return None
    return low, high, target


def _match_of(profile: SeekerProfile | None, vacancy: Vacancy) -> dict[str, Any] | None:
    if profile is None:
        return None
    match = Match.objects.filter(vacancy=vacancy, seeker=profile, standing=Standing.CURRENT).first()
    if match is None:
        return None
    return explanation_view(match.explanation, explanation_names([match.explanation]))


MATCHES_PAGE = 20
# The words on the buttons that move an application (the seeker's side).
MOVE_LABELS: dict[str, StrOrPromise] = {
    ApplicationStatus.ACCEPTED: _("Accept the invitation"),
    ApplicationStatus.DECLINED: _("Decline"),
    ApplicationStatus.WITHDRAWN: _("Withdraw"),
}


def _seeker(request: HttpRequest) -> tuple[User, SeekerProfile | None]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    if user.role != Role.SEEKER:
        raise PermissionDenied
    return user, profile_for_owner(user=user)


@login_required
def seeker_matches(request: HttpRequest) -> HttpResponse:
    """The seeker's current matches, best first, each with why, and what they did
    about it (applied, invited)."""
    user, profile = _seeker(request)
    current = matches_for_seeker(user=user).filter(standing=Standing.CURRENT)
    page = Paginator(current, MATCHES_PAGE).get_page(request.GET.get("page"))
    matches = list(page.object_list)
    names = explanation_names(m.explanation for m in matches)
    applications = {
        a.vacancy_id: a
        for a in Application.objects.filter(
            seeker__user_id=user.pk, vacancy_id__in=[m.vacancy_id for m in matches]
        ).order_by("created_at")
    }
    rows = [
        {
            "match": m,
            "why": explanation_view(m.explanation, names),
            "application": applications.get(m.vacancy_id),
        }
        for m in matches
    ]
    return render(
        request,
        "matching/seeker_matches.html",
        {"page": page, "rows": rows, "profile": profile},
    )


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply to an open vacancy from its page or from "my matches"."""
    user, profile = _seeker(request)
    vacancy = get_object_or_404(vacancy_selectors.vacancies_public(), pk=pk)
    if profile is None:
        messages.error(request, _("Fill in your profile before applying."))
        return redirect("vacancy", pk=pk)
    try:
        application = application_apply(
            profile=profile,
            vacancy=vacancy,
            by=user,
            note=request.POST.get("note", ""),
            share_cv=request.POST.get("share_cv") == "on",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("vacancy", pk=pk)
    messages.success(request, _("You applied. The employer can now see your contacts."))
    return redirect("application", pk=application.pk)


@login_required
def seeker_applications(request: HttpRequest) -> HttpResponse:
    user, _profile = _seeker(request)
    listed = (
        Application.objects.filter(seeker__user_id=user.pk)
        .select_related("vacancy__employer", "vacancy__region")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(listed, MATCHES_PAGE).get_page(request.GET.get("page"))
    return render(request, "matching/seeker_applications.html", {"page": page})


def _application_of(request: HttpRequest, pk: int) -> tuple[Application, str]:
    """The application, if the caller is its seeker or a member of its employer
    (anyone else: 404), and the caller's side."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    application = get_object_or_404(
        Application.objects.select_related(
            "vacancy__employer", "vacancy__region", "vacancy__country", "seeker__user"
        ),
        pk=pk,
    )
    party = party_of(application, user)
    if party is None:
        raise Http404
    return application, party


@login_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: where it stands, its history, and the moves open to the
    caller's side."""
    application, party = _application_of(request, pk)
    events = application.events.select_related("by").order_by("at", "id")
    allowed = allowed_moves(application, party)
    moves = [
        (to, str(MOVE_LABELS.get(to, ApplicationStatus(to).label)))
        for to in allowed
        if to != ApplicationStatus.HIRED  # a hire has a form of its own
    ]
    return render(
        request,
        "matching/application.html",
        {
            "application": application,
            "events": events,
            "moves": moves,
            "can_hire": ApplicationStatus.HIRED in allowed,
            "party": party,
        },
    )


def _hire_details(request: HttpRequest) -> HireDetails:
    try:
        start = date.fromisoformat(request.POST.get("start_date", ""))
    except ValueError:
        raise ValidationError({"start_date": _("Give the first working day.")}) from None
    return HireDetails(
        start_date=start, work_permit_number=request.POST.get("work_permit_number", "").strip()
    )


@login_required
@require_POST
def application_move_page(request: HttpRequest, pk: int) -> HttpResponse:
    application, _party = _application_of(request, pk)
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    to = request.POST.get("to", "")
    try:
        application_move(
            application=application,
            to=to,
            by=user,
            note=request.POST.get("note", ""),
            hire=_hire_details(request) if to == ApplicationStatus.HIRED else None,
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    return redirect("application", pk=pk)


def _member_vacancy(request: HttpRequest, pk: int) -> tuple[User, Vacancy]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    vacancy = vacancy_for_member(user=user, vacancy_id=pk)
    if vacancy is None:
        raise Http404
    return user, vacancy


@login_required
def vacancy_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancy's ranked candidates, as much of each as their visibility lets this
    employer see, with why, and what became of each (invited, applied)."""
    _user, vacancy = _member_vacancy(request, pk)
    page = Paginator(matches_for_vacancy(vacancy=vacancy), MATCHES_PAGE).get_page(
        request.GET.get("page")
    )
    matches = list(page.object_list)
    names = explanation_names(m.explanation for m in matches)
    applications = {
        a.seeker_id: a
        for a in Application.objects.filter(
            vacancy=vacancy, seeker_id__in=[m.seeker_id for m in matches]
        ).order_by("created_at")
    }
    rows = [
        {
            "match": m,
            "candidate": profile_public_view(m.seeker, reveal_identity=False),
            "why": explanation_view(m.explanation, names),
            "application": applications.get(m.seeker_id),
        }
        for m in matches
    ]
    return render(
        request,
        "matching/vacancy_candidates.html",
        {"vacancy": vacancy, "page": page, "rows": rows},
    )


@login_required
@require_POST
def invite(request: HttpRequest, pk: int, seeker_id: int) -> HttpResponse:
    user, vacancy = _member_vacancy(request, pk)
    profile = get_object_or_404(SeekerProfile, pk=seeker_id)
    try:
        application_invite(
            vacancy=vacancy, profile=profile, by=user, note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("Invitation sent. The contacts open when it is accepted."))
    return redirect("vacancy-candidates", pk=pk)
