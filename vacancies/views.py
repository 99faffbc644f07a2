"""Public pages about vacancies."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from taxonomy.models import Country
from vacancies.models import Vacancy


def home(request: HttpRequest) -> HttpResponse:
    published = Q(vacancies_here__status=Vacancy.Status.PUBLISHED)
    members = (
        Country.objects.filter(is_eaeu_member=True)
        .annotate(open_vacancies=Count("vacancies_here", filter=published))
        .order_by("eaeu_accession", "code")
    )
    latest = (
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED)
        .select_related("employer", "region", "country", "salary_currency")
        .order_by("-published_at", "-id")[:12]
    )
    return render(request, "home.html", {"members": members, "latest": latest})
