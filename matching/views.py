"""Pages that join both sides: a vacancy as a signed-in seeker sees it (the salary in
their currency, their match with its reasons)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from matching.api_matches import explanation_view
from matching.models import Match, Standing
from matching.selectors import explanation_names
from seekers.models import SeekerProfile
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
