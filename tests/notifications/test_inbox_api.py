"""The inbox through the API: each person reads and marks their own notifications, and
sets their preferences within the bounds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from notifications.models import Frequency, Kind, Notification, Preference
from notifications.preferences import preference_update

pytestmark = pytest.mark.django_db


def tell(
    user: User, n: int, *, kind: str = Kind.STATUS_CHANGED, read: bool = False
) -> Notification:
    notification = Notification.objects.create(
        recipient=user,
        kind=kind,
        title=f"Уведомление {n}",
        body="…",
        language="ru",
        idempotency_key=f"test:{user.pk}:{n}",
        read_at=timezone.now() if read else None,
    )
    # Distinct times, n minutes after a fixed start: the order is by creation time.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=1) + timedelta(minutes=n)
    )
    return notification


@pytest.fixture
def as_seeker(api: APIClient, seeker: User) -> APIClient:
    api.force_authenticate(seeker)
    return api


def titles(response: Any) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


# --- The inbox ---------------------------------------------------------------------


def test_the_inbox_lists_only_the_callers_notifications_newest_first(
    as_seeker: APIClient, seeker: User, other_seeker: User
):
    for n in (1, 2, 3):
        tell(seeker, n)
    tell(other_seeker, 4)

    response = as_seeker.get("/api/v1/notifications/")

    assert response.status_code == 200
    assert titles(response) == ["Уведомление 3", "Уведомление 2", "Уведомление 1"]
    assert response.json()["results"][0]["unread"] is True


def test_the_inbox_pages_with_a_cursor(as_seeker: APIClient, seeker: User):
    for n in range(1, 6):
        tell(seeker, n)

    first = as_seeker.get("/api/v1/notifications/?page_size=2").json()
    second = as_seeker.get(first["next"]).json()

    assert [i["title"] for i in first["results"]] == ["Уведомление 5", "Уведомление 4"]
    assert [i["title"] for i in second["results"]] == ["Уведомление 3", "Уведомление 2"]


def test_the_inbox_filters_unread_and_by_kind(as_seeker: APIClient, seeker: User):
    tell(seeker, 1, read=True)
    tell(seeker, 2)
    tell(seeker, 3, kind=Kind.SAVED_SEARCH_ALERT)

    unread = as_seeker.get("/api/v1/notifications/?unread=true")
    read = as_seeker.get("/api/v1/notifications/?unread=false")
    alerts = as_seeker.get(f"/api/v1/notifications/?kind={Kind.SAVED_SEARCH_ALERT}")

    assert titles(unread) == ["Уведомление 3", "Уведомление 2"]
    assert titles(read) == ["Уведомление 1"]
    assert titles(alerts) == ["Уведомление 3"]
    assert as_seeker.get("/api/v1/notifications/?kind=gossip").status_code == 400


def test_the_unread_count_counts_only_the_callers_unread(
    as_seeker: APIClient, seeker: User, other_seeker: User
):
    tell(seeker, 1)
    tell(seeker, 2)
    tell(seeker, 3, read=True)
    tell(other_seeker, 4)

    response = as_seeker.get("/api/v1/notifications/unread-count/")

    assert response.status_code == 200
    assert response.json() == {"unread": 2}


def test_marking_one_read_sets_its_time_once(as_seeker: APIClient, seeker: User):
    notification = tell(seeker, 1)

    first = as_seeker.post(f"/api/v1/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    read_at = notification.read_at
    again = as_seeker.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert first.status_code == 200 and again.status_code == 200
    assert first.json()["unread"] is False
    assert read_at is not None
    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_someone_elses_notification_is_not_found(
    as_seeker: APIClient, other_seeker: User, owner: User
):
    theirs = tell(other_seeker, 1)

    response = as_seeker.post(f"/api/v1/notifications/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_every_unread_of_the_caller_and_no_one_elses(
    as_seeker: APIClient, seeker: User, other_seeker: User
):
    tell(seeker, 1)
    tell(seeker, 2)
    tell(seeker, 3, read=True)
    theirs = tell(other_seeker, 4)

    response = as_seeker.post("/api/v1/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"read": 2}
    assert not Notification.objects.filter(recipient=seeker, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_sign_in(api: APIClient):
    assert api.get("/api/v1/notifications/").status_code == 401
    assert api.get("/api/v1/notifications/unread-count/").status_code == 401


# --- Preferences -------------------------------------------------------------------

GOOD = {
    "muted_kinds": [Kind.MATCH_FOR_SEEKER],
    "email_enabled": True,
    "frequency": Frequency.DAILY,
    "min_match_score": 70,
    "max_instant_per_hour": 5,
    "time_zone": "Asia/Bishkek",
    "digest_hour": 9,
    "digest_weekday": 4,
}


def test_preferences_read_the_defaults_until_set(as_seeker: APIClient, seeker: User):
    response = as_seeker.get("/api/v1/notifications/preferences/")

    assert response.status_code == 200
    assert response.json()["frequency"] == Frequency.INSTANT
    assert response.json()["time_zone"] == "Asia/Almaty"
    assert not Preference.objects.filter(user=seeker).exists()


def test_put_saves_the_preferences(as_seeker: APIClient, seeker: User):
    response = as_seeker.put("/api/v1/notifications/preferences/", GOOD)

    assert response.status_code == 200, response.json()
    preference = Preference.objects.get(user=seeker)
    assert preference.frequency == Frequency.DAILY
    assert preference.muted_kinds == [Kind.MATCH_FOR_SEEKER]
    assert (preference.time_zone, preference.digest_hour, preference.digest_weekday) == (
        "Asia/Bishkek",
        9,
        4,
    )
    assert as_seeker.get("/api/v1/notifications/preferences/").json()["min_match_score"] == 70


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Asia/Atlantis"),
        ("min_match_score", 101),
        ("min_match_score", -1),
        ("max_instant_per_hour", 0),
        ("max_instant_per_hour", 101),
        ("digest_hour", 24),
        ("digest_weekday", 7),
        ("frequency", "hourly"),
        ("muted_kinds", ["gossip"]),
    ],
)
def test_put_refuses_a_value_out_of_bounds_with_the_fields_message(
    as_seeker: APIClient, seeker: User, field: str, value: Any
):
    response = as_seeker.put("/api/v1/notifications/preferences/", GOOD | {field: value})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Preference.objects.filter(user=seeker).exists()


def test_preference_update_checks_the_bounds_itself(seeker: User):
    with pytest.raises(ValidationError) as caught:
        preference_update(user=seeker, time_zone="Mars/Olympus", min_match_score=101)

    assert set(caught.value.message_dict) == {"time_zone", "min_match_score"}


def test_preference_update_changes_only_what_is_given(seeker: User):
    preference_update(user=seeker, digest_hour=20)
    preference = preference_update(user=seeker, email_enabled=False)

    assert (preference.digest_hour, preference.email_enabled) == (20, False)
    assert preference.frequency == Frequency.INSTANT
