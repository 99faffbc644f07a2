"""A batch of deliveries: claimed in groups, each sent once, the rest left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from notifications.delivery import deliveries_process
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_batch_sends_what_is_due_once_and_skips_what_is_done_or_held() -> None:
    user = UserFactory.create(role=Role.SEEKER, email="batch@example.kz")
    now = timezone.now()
    notes = [
        Notification.objects.create(
            recipient=user,
            kind=Kind.STATUS_CHANGED,
            title=f"Message {n}",
            body="Body",
            data={"vacancy_title": "Сварщик", "status": "interview"},
            language="ru",
            idempotency_key=f"batch-test:{n}",
        )
        for n in range(14)
    ]
    deliveries = [
        Delivery.objects.create(
            channel=Channel.EMAIL,
            notification=note,
            idempotency_key=f"email:{note.pk}",
            next_attempt_at=now,
        )
        for note in notes
    ]
    Delivery.objects.filter(pk=deliveries[0].pk).update(status=DeliveryStatus.SENT)
    # Another worker holds this one.
    Delivery.objects.filter(pk=deliveries[1].pk).update(
        status=DeliveryStatus.SENDING, claimed_until=now + timedelta(minutes=1)
    )

    outcomes = deliveries_process([d.pk for d in deliveries])
    again = deliveries_process([d.pk for d in deliveries])

    assert outcomes == {"not due, taken or done": 2, "sent": 12}
    assert again == {"not due, taken or done": 14}
    assert len(mail.outbox) == 12
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 12
