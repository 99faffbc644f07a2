"""E-mail: a notification as a multipart message through Django's e-mail backend
(``EMAIL_URL``: the console in development, SMTP in production)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.delivery import PermanentFailure, TemporaryFailure
from notifications.models import Delivery


def message_id(delivery: Delivery) -> str:
    """The same Message-ID on every try: a receiver can drop a repeat."""
    return f"<{delivery.idempotency_key.replace(':', '.')}@borderless>"


def build(delivery: Delivery) -> EmailMultiAlternatives:
    notification = delivery.notification
    assert notification is not None  # noqa: S101 - the table's constraint says so
    to = notification.recipient.email if notification.recipient else notification.email
    return EmailMultiAlternatives(
        subject=notification.title,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id(delivery)},
    )


def send(delivery: Delivery) -> int | None:
    message = build(delivery)
    try:
        with get_connection(fail_silently=False) as connection:
            message.connection = connection
            message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"the address was refused: {exc.recipients}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"SMTP: {exc}") from exc
    return None
