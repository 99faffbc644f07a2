"""The language switch in every page's header: a visitor's choice is kept in a cookie,
a signed-in user's in the account too (so e-mails and the API follow it)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.services import user_update_preferences


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return response  # an unknown code changes nothing
    if isinstance(request.user, User) and request.user.is_authenticated:
        user_update_preferences(user=request.user, full_name=None, preferred_language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=60 * 60 * 24 * 365,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
