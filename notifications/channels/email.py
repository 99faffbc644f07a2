"""E-mail: a notification as a multipart message through Django's e-mail backend
(``EMAIL_URL``: the console in development, SMTP in production).

Text and HTML are rendered when the e-mail is sent, from the notification's stored
``data`` and in its ``language``, so both parts say the same thing and links are
absolute (``SITE_URL``). The subject is the title rendered when the notification was
made. Every e-mail to an account carries an unsubscribe link in its footer and the
RFC 8058 one-click headers.
"""

from __future__ import annotations

import contextlib
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from notifications import unsubscribe
from notifications.delivery import PermanentFailure, TemporaryFailure
from notifications.models import Delivery, Kind, Notification, Preference

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    url: str = getattr(settings, "SITE_URL", DEFAULT_SITE_URL)
    return url.rstrip("/")


def absolute_url(path: str) -> str:
    """A site path as a full URL; a full URL or nothing is returned as it is."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return path
    return f"{site_url()}{path}"


def _absolute_links(value: Any) -> Any:
    """``value`` with every ``link`` and ``*_link`` string made absolute, at any depth
    (the vacancies of a saved-search alert, the items of a digest)."""
    if isinstance(value, dict):
        return {
            key: (
                absolute_url(item)
                if isinstance(item, str) and (key == "link" or key.endswith("_link"))
                else _absolute_links(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolute_links(item) for item in value]
    return value


def message_id(delivery: Delivery) -> str:
    """The same Message-ID on every try: a receiver can drop a repeat."""
    return f"<{delivery.idempotency_key.replace(':', '.')}@borderless>"


def header_scope(notification: Notification) -> str:
    """What the one-click unsubscribe of this e-mail turns off: its kind (a seeker who
    no longer wants match e-mails still hears about an application), or all e-mail
    for a digest, which mixes every kind."""
    return unsubscribe.ALL_EMAIL if notification.kind == Kind.DIGEST else notification.kind


def email_context(notification: Notification) -> dict[str, Any]:
    """What the kind's templates and the footer are rendered with; call it in the
    notification's language."""
    recipient = notification.recipient
    context: dict[str, Any] = _absolute_links(
        {"manage_link": "", **notification.data, "link": notification.link}
    )
    context.update(
        recipient_name=recipient.full_name if recipient else "",
        subject=notification.title,
        site_url=site_url(),
        kind=notification.kind,
        kind_label=str(Kind(notification.kind).label),
        unsubscribe_url="",
        unsubscribe_kind_url="",
        unsubscribe_all_url="",
    )
    if recipient is not None:
        all_url = absolute_url(unsubscribe.unsubscribe_path(user=recipient))
        context["unsubscribe_all_url"] = all_url
        scope = header_scope(notification)
        if scope == unsubscribe.ALL_EMAIL:
            context["unsubscribe_url"] = all_url
        else:
            kind_url = absolute_url(unsubscribe.unsubscribe_path(user=recipient, scope=scope))
            context["unsubscribe_kind_url"] = context["unsubscribe_url"] = kind_url
    return context


def build(delivery: Delivery) -> EmailMultiAlternatives:
    notification = delivery.notification
    assert notification is not None  # noqa: S101 - the table's constraint says so
    to = notification.recipient.email if notification.recipient else notification.email
    if not to:
        raise PermanentFailure("the recipient has no e-mail address")
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = email_context(notification)
        body = render_to_string(f"notifications/{notification.kind}/body.txt", context)
        text = render_to_string("notifications/email/text.txt", {**context, "body": body.strip()})
        html = render_to_string(f"notifications/{notification.kind}/body.html", context)
    headers = {
        "Message-ID": message_id(delivery),
        # Out-of-office robots must not answer a notification (RFC 3834).
        "Auto-Submitted": "auto-generated",
    }
    if context["unsubscribe_url"]:
        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this URL.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=f"{text.strip()}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _still_wanted(notification: Notification) -> bool:
    """False when the recipient turned this e-mail off after it was queued: an
    unsubscribe must hold at once, even for a message waiting for a retry."""
    if notification.recipient is None:
        return True
    # Loaded with the delivery (select_related); a user who never chose has none.
    preference: Preference | None = getattr(notification.recipient, "notification_preference", None)
    if preference is None:
        return True
    return preference.email_enabled and notification.kind not in preference.muted_kinds


def send(delivery: Delivery) -> int | None:
    notification = delivery.notification
    assert notification is not None  # noqa: S101 - the table's constraint says so
    if not _still_wanted(notification):
        raise PermanentFailure("the recipient unsubscribed from this e-mail")
    message = build(delivery)
    try:
        _send_reusing_connection(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"the address was refused: {exc.recipients}") from exc
    except smtplib.SMTPDataError as exc:
        # 5xx after DATA: the server refused this message (policy, size); 4xx is a
        # busy or grey-listing server and worth another try.
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"the message was refused: {exc}") from exc
        raise TemporaryFailure(f"SMTP: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"SMTP: {exc}") from exc
    return None


# One SMTP connection per worker process, kept open between deliveries: connecting and
# greeting the relay costs more than sending a message. A connection the server closed
# while idle is replaced once; after any other error it is dropped, and the next
# delivery opens a fresh one. Re-opened when the backend settings change (tests).
_open: dict[str, Any] = {}


def _connection() -> Any:
    key = f"{settings.EMAIL_BACKEND}|{settings.EMAIL_HOST}|{settings.EMAIL_PORT}"
    if key not in _open:
        _drop()
        connection = get_connection(fail_silently=False)
        connection.open()
        _open[key] = connection
    return _open[key]


def _drop() -> None:
    for connection in _open.values():
        with contextlib.suppress(Exception):
            connection.close()
    _open.clear()


def _send_reusing_connection(message: EmailMultiAlternatives) -> None:
    for attempt in (1, 2):
        message.connection = _connection()
        try:
            message.send()
        except smtplib.SMTPServerDisconnected:
            _drop()
            if attempt == 2:
                raise
        except Exception:
            _drop()
            raise
        else:
            return
