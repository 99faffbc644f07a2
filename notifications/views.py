"""The inbox pages, and the unsubscribe page (no login: the signed token in the link
is the proof)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from notifications import services
from notifications.models import Kind, Notification
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


INBOX_PAGE = 25


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first, the unread ones marked."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    listed = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    page = Paginator(listed, INBOX_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    services.notification_mark_read(notification=notification)
    target = notification.link
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:inbox")
    return redirect(target)


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required says so
    services.notifications_mark_all_read(user=user)
    return redirect("notifications:inbox")
