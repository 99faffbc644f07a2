"""Telling many at once (a matching run's announcements): the same outcome as one call
each, in order, whatever the size of the batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Channel, Delivery, Kind, Notification, Preference
from notifications.services import Message, notify, notify_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def status(key: str) -> Message:
    return Message(
        kind=Kind.STATUS_CHANGED,
        key=key,
        subject_type="application",
        subject_id=1,
        link="/applications/1/",
        context={"vacancy_title": "Сварщик", "employer_name": "ТОО", "status": "interview"},
    )


def match(score: float, pk: int = 77) -> Message:
    return Message(
        kind=Kind.MATCH_FOR_SEEKER,
        key=f"match:{pk}",
        subject_type="match",
        subject_id=pk,
        context={"vacancy_title": "Сварщик", "employer_name": "ТОО", "region_name": "Атырау"},
        score=score,
    )


def emails_to(user: User) -> int:
    return Delivery.objects.filter(channel=Channel.EMAIL, notification__recipient=user).count()


def test_the_hourly_limit_holds_inside_one_batch(seeker: User) -> None:
    Preference.objects.create(user=seeker, max_instant_per_hour=3)

    made = notify_many(items=[([seeker], status(f"a:{n}")) for n in range(5)])

    assert len(made) == 5
    assert emails_to(seeker) == 3
    # The two over the limit wait for the next digest, in the inbox meanwhile.
    assert [n.digest_pending for n in made] == [False, False, False, True, True]
    assert Notification.objects.filter(recipient=seeker, digest_pending=True).count() == 2


def test_the_hourly_limit_counts_what_earlier_calls_sent(seeker: User) -> None:
    Preference.objects.create(user=seeker, max_instant_per_hour=3)
    notify(recipients=[seeker], message=status("before:1"))
    notify(recipients=[seeker], message=status("before:2"))

    notify_many(items=[([seeker], status(f"a:{n}")) for n in range(3)])

    assert emails_to(seeker) == 3


def test_an_event_twice_in_a_batch_or_told_before_makes_one_notification(
    seeker: User, other_seeker: User
) -> None:
    notify(recipients=[seeker], message=status("told"))

    made = notify_many(
        items=[
            ([seeker], status("told")),
            ([seeker, other_seeker], status("new")),
            ([seeker], status("new")),
        ]
    )

    assert [(n.recipient, n.idempotency_key) for n in made] == [
        (seeker, f"new:{seeker.pk}"),
        (other_seeker, f"new:{other_seeker.pk}"),
    ]
    assert Notification.objects.filter(recipient=seeker).count() == 2
    # Nothing told twice spends the hourly budget or sends a second e-mail.
    assert emails_to(seeker) == 2


def test_a_match_rising_inside_a_batch_is_told_again_only_past_the_margin(
    seeker: User, settings: Any
) -> None:
    settings.NOTIFICATIONS_RESCORE_MARGIN = 10

    made = notify_many(
        items=[([seeker], match(s)) for s in (60.0, 65.0, 70.0, 75.0)]
        + [([seeker], match(45.0, 78))]
    )

    assert [n.data["score"] for n in made] == [60.0, 70.0]


def test_each_recipient_reads_it_in_their_own_language(seeker: User) -> None:
    english = UserFactory.create(email="en@example.am", preferred_language="en")
    russian = UserFactory.create(email="ru@example.by", preferred_language="ru")

    made = notify_many(items=[([english, russian], status("lang"))])

    titles = {n.recipient: (n.language, n.title) for n in made}
    assert titles[english][0] == "en" and titles[russian][0] == "ru"
    assert titles[english][1] != titles[russian][1]


def test_an_inactive_account_is_told_nothing(seeker: User) -> None:
    seeker.is_active = False
    seeker.save(update_fields=["is_active"])

    assert notify_many(items=[([seeker], status("x"))]) == []
    assert not Notification.objects.exists()


def test_a_larger_batch_takes_no_more_statements() -> None:
    def statements(size: int, tag: str) -> int:
        users = [UserFactory.create(email=f"{tag}{n}@example.kz") for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            notify_many(items=[([user], status(f"{tag}:{n}")) for n, user in enumerate(users)])
        assert Notification.objects.filter(idempotency_key__startswith=f"{tag}:").count() == size
        return len(queries)

    assert statements(5, "small") == statements(60, "large")
