"""The pages behind the links in saved-search e-mails: confirm a visitor's address,
look at the search, pause or resume it, delete it. They need no login: the signed link
is the key. A GET only shows a page (mail scanners open links); a button POSTs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vacancies import saved_searches
from vacancies.models import SavedSearch


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "vacancies/saved_search_invalid.html", status=404)


def _manage(saved_search: SavedSearch) -> HttpResponse:
    return redirect(saved_searches.saved_search_manage_path(saved_search))


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    saved_search = saved_searches.saved_search_by_token(token, confirm=True)
    if saved_search is None:
        return _invalid(request)
    if request.method == "POST":
        saved_search = saved_searches.saved_search_confirm(saved_search=saved_search)
        messages.success(request, _("Confirmed: new vacancies for this search will be e-mailed."))
        return _manage(saved_search)
    return render(request, "vacancies/saved_search_confirm.html", {"search": saved_search})


@never_cache
@require_http_methods(["GET"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    saved_search = saved_searches.saved_search_by_token(token)
    if saved_search is None:
        return _invalid(request)
    filters = [
        (name, ", ".join(value) if isinstance(value, list) else value)
        for name, value in saved_search.filters.items()
    ]
    context = {"search": saved_search, "token": token, "filters": filters}
    return render(request, "vacancies/saved_search_manage.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest, token: str) -> HttpResponse:
    saved_search = saved_searches.saved_search_by_token(token)
    if saved_search is None:
        return _invalid(request)
    if request.method == "POST":
        saved_search = saved_searches.saved_search_pause(saved_search=saved_search)
        messages.success(request, _("Paused: no alerts until you resume the search."))
        return _manage(saved_search)
    return render(
        request, "vacancies/saved_search_pause.html", {"search": saved_search, "token": token}
    )


@never_cache
@require_POST
def resume(request: HttpRequest, token: str) -> HttpResponse:
    saved_search = saved_searches.saved_search_by_token(token)
    if saved_search is None:
        return _invalid(request)
    saved_search = saved_searches.saved_search_resume(saved_search=saved_search)
    messages.success(request, _("Resumed: vacancies published from now on will be told."))
    return _manage(saved_search)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    saved_search = saved_searches.saved_search_by_token(token)
    if saved_search is None:
        return _invalid(request)
    if request.method == "POST":
        name = saved_search.name
        saved_searches.saved_search_delete(saved_search=saved_search)
        messages.success(request, _("The saved search “%(name)s” is deleted.") % {"name": name})
        return redirect("home")
    return render(
        request, "vacancies/saved_search_delete.html", {"search": saved_search, "token": token}
    )
