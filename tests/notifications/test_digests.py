"""Digests: what was kept back from e-mail goes out once per slot, at the hour each
person chose in their own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.message import EmailMultiAlternatives

from accounts.models import User
from notifications.delivery import delivery_process
from notifications.digests import digests_send
from notifications.models import Delivery, Frequency, Kind, Notification, Preference
from notifications.services import Message, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MOSCOW = ZoneInfo("Europe/Moscow")


def at(zone: ZoneInfo, hour: int, minute: int = 0, days: int = 0) -> datetime:
    """A local time on Monday 10 March 2025, or ``days`` after."""
    return datetime(2025, 3, 10, hour, minute, tzinfo=zone) + timedelta(days=days)


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://borderless.example"


def person(email: str, *, zone: str = "Asia/Almaty", **preference: Any) -> User:
    user = UserFactory.create(email=email, full_name="Айгерим")
    Preference.objects.create(user=user, time_zone=zone, **preference)
    return user


def tell(user: User, key: str, title: str = "Сварщик") -> Notification:
    [notification] = notify(
        recipients=[user],
        message=Message(
            kind=Kind.APPLICATION_RECEIVED,
            key=key,
            link=f"/applications/{key}/",
            context={"vacancy_title": title, "employer_name": "ТОО «Каспий Сервис»"},
        ),
    )
    notification.refresh_from_db()
    return notification


def digests_of(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.DIGEST).order_by("id"))


def send_all() -> list[EmailMultiAlternatives]:
    for pk in Delivery.objects.filter(status="pending").order_by("id").values_list("pk", flat=True):
        assert delivery_process(pk) == "sent"
    return [m for m in mail.outbox if isinstance(m, EmailMultiAlternatives)]


def test_a_daily_digest_waits_for_the_local_hour_in_each_time_zone() -> None:
    almaty = person("almaty@example.kz", zone="Asia/Almaty", frequency=Frequency.DAILY)
    moscow = person("moscow@example.ru", zone="Europe/Moscow", frequency=Frequency.DAILY)
    kept = [tell(almaty, "a1"), tell(almaty, "a2", "Электрик"), tell(moscow, "m1")]
    assert all(n.digest_pending for n in kept)
    assert not Delivery.objects.exists()

    # 08:00 in Almaty is still early morning in Moscow.
    assert digests_send(at(ALMATY, 8)) == 1

    [digest] = digests_of(almaty)
    assert digests_of(moscow) == []
    assert digest.idempotency_key == f"digest:{almaty.pk}:2025-03-10"
    assert digest.data["period"] == "daily"
    assert [item["title"] for item in digest.data["items"]] == [
        "New application for “Сварщик”",
        "New application for “Электрик”",
    ]
    attached = Notification.objects.filter(digest=digest).order_by("id")
    assert list(attached) == kept[:2]
    assert not any(n.digest_pending for n in attached)
    assert Notification.objects.get(pk=kept[2].pk).digest_pending

    [message] = send_all()
    assert message.to == [almaty.email]
    assert message.subject == "Your daily digest: 2 notifications"
    assert "1. New application for “Сварщик”" in message.body
    assert "https://borderless.example/applications/a2/" in message.body
    assert "Электрик" in str(message.alternatives[0][0])

    # 08:00 in Moscow.
    assert digests_send(at(MOSCOW, 8)) == 1
    assert len(digests_of(moscow)) == 1
    assert len(digests_of(almaty)) == 1


def test_running_again_in_the_same_slot_makes_no_second_digest() -> None:
    user = person("daily@example.kz", frequency=Frequency.DAILY, digest_hour=8)
    tell(user, "1")

    assert digests_send(at(ALMATY, 8)) == 1
    assert digests_send(at(ALMATY, 8, 20)) == 0

    # What comes after today's digest waits for tomorrow's.
    later = tell(user, "2")
    assert digests_send(at(ALMATY, 9)) == 0
    assert digests_send(at(ALMATY, 7, days=1)) == 0
    assert digests_send(at(ALMATY, 8, days=1)) == 1

    first, second = digests_of(user)
    assert second.idempotency_key == f"digest:{user.pk}:2025-03-11"
    assert list(second.items.all()) == [later]
    assert Delivery.objects.filter(notification__kind=Kind.DIGEST).count() == 2


def test_a_late_run_still_sends_the_digest_but_not_much_later() -> None:
    late = person("late@example.kz", frequency=Frequency.DAILY, digest_hour=8)
    tell(late, "1")

    assert digests_send(at(ALMATY, 7, 59)) == 0
    assert digests_send(at(ALMATY, 15)) == 0
    assert digests_send(at(ALMATY, 11)) == 1


def test_a_digest_hour_near_midnight_counts_from_the_day_before() -> None:
    night = person("night@example.kz", frequency=Frequency.DAILY, digest_hour=23)
    tell(night, "1")

    assert digests_send(at(ALMATY, 1, days=1)) == 1

    [digest] = digests_of(night)
    assert digest.idempotency_key == f"digest:{night.pk}:2025-03-10"


def test_a_weekly_digest_goes_out_on_the_chosen_weekday() -> None:
    user = person("weekly@example.kz", frequency=Frequency.WEEKLY, digest_hour=9, digest_weekday=2)
    tell(user, "1")

    assert digests_send(at(ALMATY, 9)) == 0  # Monday
    assert digests_send(at(ALMATY, 9, days=1)) == 0  # Tuesday
    assert digests_send(at(ALMATY, 9, days=2)) == 1  # Wednesday

    [digest] = digests_of(user)
    assert digest.data["period"] == "weekly"
    assert digest.idempotency_key == f"digest:{user.pk}:2025-03-12"
    [message] = send_all()
    assert message.subject == "Your weekly digest: 1 notification"


def test_what_the_hourly_limit_kept_back_goes_out_in_the_next_hourly_run() -> None:
    user = person("busy@example.kz", frequency=Frequency.INSTANT, max_instant_per_hour=1)
    at_once = tell(user, "1")
    kept = [tell(user, "2"), tell(user, "3")]
    assert Delivery.objects.filter(notification=at_once).exists()
    assert all(n.digest_pending for n in kept)

    assert digests_send(at(ALMATY, 14, 5)) == 1
    assert digests_send(at(ALMATY, 14, 35)) == 0

    [digest] = digests_of(user)
    assert digest.idempotency_key == f"digest:{user.pk}:2025-03-10:14"
    assert digest.data["period"] == "hourly"
    assert set(digest.items.all()) == set(kept)
    messages = send_all()
    assert [m.subject for m in messages] == [
        "New application for “Сварщик”",
        "2 more notifications for you",
    ]
    assert "List-Unsubscribe" in messages[1].extra_headers
    assert "Unsubscribe from all Borderless e-mail" in messages[1].body


def test_a_russian_speaker_gets_the_digest_in_russian() -> None:
    user = person("ru@example.kz", frequency=Frequency.DAILY)
    user.preferred_language = "ru"
    user.save(update_fields=["preferred_language"])
    for key in ("1", "2", "3", "4", "5"):
        tell(user, key)

    digests_send(at(ALMATY, 8))

    [message] = send_all()
    assert message.subject == "Ваша ежедневная сводка: 5 уведомлений"
    assert "Вот что произошло на Borderless со времени прошлой сводки." in message.body
    assert "1. Новый отклик на «Сварщик»" in message.body


def test_nothing_is_sent_for_what_was_muted_or_turned_off_since() -> None:
    muted = person("muted@example.kz", frequency=Frequency.DAILY)
    silent = person("silent@example.kz", frequency=Frequency.DAILY)
    kept = [tell(muted, "1"), tell(silent, "2")]
    Preference.objects.filter(user=muted).update(muted_kinds=[Kind.APPLICATION_RECEIVED])
    Preference.objects.filter(user=silent).update(email_enabled=False)

    assert digests_send(at(ALMATY, 8)) == 0

    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()
    assert not Notification.objects.filter(pk__in=[n.pk for n in kept], digest_pending=True)
    assert not Delivery.objects.exists()


def test_a_long_digest_shows_the_first_items_and_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("notifications.digests.MAX_ITEMS", 2)
    user = person("many@example.kz", frequency=Frequency.DAILY)
    for key in ("1", "2", "3"):
        tell(user, key)

    digests_send(at(ALMATY, 8))

    [digest] = digests_of(user)
    assert len(digest.data["items"]) == 2
    assert digest.items.count() == 3
    [message] = send_all()
    assert message.subject == "Your daily digest: 3 notifications"
    assert "Here are 2 of 3; see them all on Borderless." in message.body


def test_an_unknown_time_zone_falls_back_to_the_sites() -> None:
    user = person("nowhere@example.kz", zone="Mars/Olympus", frequency=Frequency.DAILY)
    tell(user, "1")

    assert digests_send(at(ALMATY, 8)) == 1
