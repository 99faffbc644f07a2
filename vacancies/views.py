"""Public pages about vacancies."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from taxonomy.models import Country
from vacancies import selectors
from vacancies.filters import VacancyFilter
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


PAGE_SIZE = 20
# The search form shows these filters of the public search; the rest (skills by id,
# ISCO codes, languages) stay reachable by URL, so a shared link keeps them all.
# The API's labels name codes and parameters; people read these.
PAGE_FILTERS: dict[str, StrPromise] = {
    "q": _("What are you looking for?"),
    "country": _("Country"),
    "region": _("Region"),
    "salary_min": _("Salary from, a month"),
    "salary_currency": _("Currency"),
    "open_to": _("Open to citizens of"),
    "ordering": _("Order"),
    "employment_type": _("Employment type"),
    "work_mode": _("Where the work is done"),
}
CHECKBOXES = ("employment_type", "work_mode")
MORE_FILTERS = ("employment_type", "work_mode", "open_to", "ordering")  # folded on a phone
# The salary's currency as a choice: the members' currencies and the two most quoted.
CURRENCIES = ("AMD", "BYN", "KZT", "KGS", "RUB", "USD", "EUR")


def vacancy_search(request: HttpRequest) -> HttpResponse:
    """The public search as a page: the API's filters in a GET form, so the URL of a
    search is the search, to bookmark or send."""
    search = VacancyFilter(request.GET, queryset=selectors.vacancies_public_keys())
    search.form.label_suffix = ""
    for name, label in PAGE_FILTERS.items():
        search.form.fields[name].label = label
    for name in CHECKBOXES:
        field = search.form.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - the FilterSet's
        choices = field.choices
        field.widget = forms.CheckboxSelectMultiple()
        field.choices = choices  # handed on to the new widget
    search.form.fields["salary_currency"].widget = forms.Select(
        choices=[("", "—"), *((code, code) for code in CURRENCIES)]
    )
    page = None
    vacancies: list[Vacancy] = []
    if search.is_valid():
        page = Paginator(search.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        # The list shows the employer, the place and the salary: only those are loaded
        # (the API's hydration also brings skills and languages the page never shows).
        keys = [v.pk for v in page.object_list]
        found = Vacancy.objects.select_related("employer", "region", "country").in_bulk(keys)
        vacancies = [found[pk] for pk in keys if pk in found]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vacancies/search.html",
        {
            "form": search.form,
            "fields": [search.form[n] for n in PAGE_FILTERS if n not in MORE_FILTERS],
            "more_fields": [search.form[n] for n in MORE_FILTERS],
            "more_open": any(request.GET.get(n) for n in MORE_FILTERS),
            "page": page,
            "vacancies": vacancies,
            "query": query.urlencode(),
        },
        status=200 if search.is_valid() else 400,
    )
