"""The employer's pages: the company's vacancies, a new vacancy, and its lifecycle
(publish, pause, resume, close)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from config.forms import form_errors_from
from vacancies import selectors, services
from vacancies.forms import EmployerForm, VacancyForm
from vacancies.models import Employer, Vacancy

ACTIONS: dict[str, Callable[..., Vacancy]] = {
    "publish": services.vacancy_publish,
    "pause": services.vacancy_pause,
    "resume": services.vacancy_resume,
    "close": services.vacancy_close,
}


class _NoEmployerYet(Exception):
    """An employer account that has not registered (or joined) its company."""


def _member(request: HttpRequest) -> tuple[User, Employer]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    if not user.is_employer_member:
        raise PermissionDenied
    membership = selectors.employer_membership(user=user)
    if membership is None:
        raise _NoEmployerYet
    return user, membership.employer


@login_required
def employer_new(request: HttpRequest) -> HttpResponse:
    """Register the company; the account that does it becomes its owner."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    if not user.is_employer_member:
        raise PermissionDenied
    if selectors.employer_membership(user=user) is not None:
        return redirect("vacancies:employer-list")
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_create(by=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return redirect("vacancies:employer-list")
    return render(
        request, "vacancies/employer_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def employer_vacancies(request: HttpRequest) -> HttpResponse:
    try:
        user, employer = _member(request)
    except _NoEmployerYet:
        return redirect("vacancies:employer-new")
    vacancies = (
        selectors.vacancies_for_member(user=user)
        .prefetch_related(None)
        .select_related("region")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "vacancies/employer_vacancies.html",
        {"employer": employer, "vacancies": vacancies, "actions": ACTIONS},
    )


@login_required
def employer_vacancy_new(request: HttpRequest) -> HttpResponse:
    """A new vacancy: saved as a draft, or published at once with the other button."""
    try:
        user, employer = _member(request)
    except _NoEmployerYet:
        return redirect("vacancies:employer-new")
    form = VacancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(
                employer=employer, by=user, **form.service_arguments()
            )
            if "publish" in request.POST:
                services.vacancy_publish(vacancy=vacancy, by=user)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The vacancy is saved."))
            return redirect("vacancies:employer-list")
    return render(
        request,
        "vacancies/employer_vacancy_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def employer_vacancy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        user, _employer = _member(request)
    except _NoEmployerYet:
        return redirect("vacancies:employer-new")
    vacancy = get_object_or_404(selectors.vacancies_for_member(user=user), pk=pk)
    verb = ACTIONS.get(action)
    if verb is None:
        return redirect("vacancies:employer-list")
    try:
        verb(vacancy=vacancy, by=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("vacancies:employer-list")
