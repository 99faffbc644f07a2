"""The unsubscribe page: no login, the signed token in the link is the proof."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.models import Kind
from notifications.unsubscribe import (
    InvalidUnsubscribeToken,
    unsubscribe_apply,
    unsubscribe_read,
)


# Exempt from CSRF because mail clients send the RFC 8058 one-click POST
# ("List-Unsubscribe=One-Click") themselves, without our cookie or a CSRF token. The
# token in the URL is what CSRF protection would otherwise prove: only someone who got
# the e-mail has it, another site cannot forge it, and all it can do is turn e-mail off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners follow links and must change nothing);
    POST, from the page's button or a mail client's one-click, applies it."""
    try:
        wish = unsubscribe_read(token)
    except InvalidUnsubscribeToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    # The page speaks the language the e-mail was written in, whoever is signed in.
    language = wish.user.preferred_language or settings.LANGUAGE_CODE
    done = request.method == "POST"
    if done:
        unsubscribe_apply(unsubscribe=wish)
    context = {
        "email": wish.user.email,
        "everything": wish.is_all,
        "kind_label": "" if wish.is_all else Kind(wish.scope).label,
        "done": done,
    }
    with translation.override(language):
        response = render(request, "notifications/unsubscribe.html", context)
    # LocaleMiddleware keeps a Content-Language the view set.
    response["Content-Language"] = language
    return response
