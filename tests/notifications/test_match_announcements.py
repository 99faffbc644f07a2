"""A match tells both sides once: the seeker, the employer's members (as the seeker's
visibility allows, without the name), and the employer's webhook."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from accounts.models import User
from matching import indexes, services
from matching.announce import matches_announce
from matching.models import Kind as RunKind
from matching.models import Match
from notifications.delivery import delivery_process
from notifications.models import Delivery, Frequency, Kind, Notification, Preference
from seekers.models import Visibility
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()


def run_and_announce(vacancy_id: int, capture: Any) -> list[int]:
    """Match the vacancy, tell both sides, and send every e-mail that produced."""
    with capture(execute=False):
        outcome = services.match_now(kind=RunKind.VACANCY, object_id=vacancy_id)
    with capture(execute=False):
        matches_announce(match_ids=outcome.announce)
    for delivery_id in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        delivery_process(delivery_id)
    return outcome.announce


def test_a_new_match_tells_the_seeker_and_each_member_once(
    owner: User,
    recruiter: User,
    seeker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS, headline="Сварщик")
    vacancy = post_vacancy(by=owner, title="Сварщик на Тенгиз", region="KZ-75")

    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)

    match = Match.objects.get(vacancy=vacancy, seeker=profile)
    assert match.announced_score == match.score
    told = Notification.objects.order_by("kind", "recipient_id")
    assert [(n.kind, n.recipient_id) for n in told] == sorted(
        [
            (Kind.CANDIDATE_FOR_VACANCY, owner.pk),
            (Kind.CANDIDATE_FOR_VACANCY, recruiter.pk),
            (Kind.MATCH_FOR_SEEKER, seeker.pk),
        ]
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [owner.email, recruiter.email, seeker.email]
    )
    employer_mail = next(m for m in mail.outbox if m.to == [owner.email])
    assert seeker.full_name not in employer_mail.body
    assert "Сварщик на Тенгиз" in employer_mail.body

    # Matching again finds the same match: nobody hears of it twice.
    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_member_who_wants_no_email_gets_the_inbox_only(
    owner: User, recruiter: User, seeker: User, django_capture_on_commit_callbacks: Any
) -> None:
    Preference.objects.create(user=recruiter, email_enabled=False)
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner, region="KZ-75")

    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=recruiter).count() == 1
    assert recruiter.email not in [m.to[0] for m in mail.outbox]


def test_a_seeker_hidden_from_employers_is_told_but_the_employer_is_not(
    owner: User, seeker: User, django_capture_on_commit_callbacks: Any
) -> None:
    from seekers import services as seeker_services

    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    seeker_services.profile_update(profile=profile, visibility=Visibility.HIDDEN)
    vacancy = post_vacancy(by=owner, region="KZ-75")

    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)

    assert list(Notification.objects.values_list("kind", flat=True)) == [Kind.MATCH_FOR_SEEKER]
    assert [m.to for m in mail.outbox] == [[seeker.email]]


def test_a_match_below_the_seekers_minimum_is_not_told(
    owner: User, seeker: User, django_capture_on_commit_callbacks: Any
) -> None:
    Preference.objects.create(user=seeker, min_match_score=95)
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    # The welder lacks pressure testing: a good match, but under 95.
    vacancy = post_vacancy(
        by=owner, region="KZ-75", skills=(("welding", 3, True), ("pressure-testing", 3, True))
    )

    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)

    assert 40 <= Match.objects.get().score < 95
    assert not Notification.objects.filter(recipient=seeker).exists()


def test_a_daily_digest_seeker_gets_no_instant_email(
    owner: User, seeker: User, django_capture_on_commit_callbacks: Any
) -> None:
    Preference.objects.create(user=seeker, frequency=Frequency.DAILY)
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner, region="KZ-75")

    run_and_announce(vacancy.pk, django_capture_on_commit_callbacks)

    told = Notification.objects.get(recipient=seeker)
    assert told.digest_pending
    assert seeker.email not in [m.to[0] for m in mail.outbox]


def test_the_employers_webhook_hears_of_the_match_without_the_name(
    owner: User, seeker: User, employer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from notifications.models import Channel, WebhookEndpoint

    WebhookEndpoint.objects.create(
        employer_id=employer.pk, url="https://hooks.example.kz/borderless", secret="s" * 64
    )
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner, region="KZ-75")

    with django_capture_on_commit_callbacks(execute=False):
        outcome = services.match_now(kind=RunKind.VACANCY, object_id=vacancy.pk)
    with django_capture_on_commit_callbacks(execute=False):
        matches_announce(match_ids=outcome.announce)

    [event] = Delivery.objects.filter(channel=Channel.WEBHOOK)
    assert event.event_type == "match.created"
    assert event.payload["candidate"] == {"id": profile.pk, "headline": profile.headline}
    assert seeker.full_name not in str(event.payload)


def test_a_match_is_told_again_only_when_its_score_rose_by_the_margin(
    seeker: User, settings: Any
) -> None:
    from notifications.services import Message, notify

    settings.NOTIFICATIONS_RESCORE_MARGIN = 10

    def tell(score: float) -> int:
        message = Message(
            kind=Kind.MATCH_FOR_SEEKER,
            key="match:77",
            subject_type="match",
            subject_id=77,
            context={"vacancy_title": "Сварщик", "employer_name": "ТОО", "region_name": "Атырау"},
            score=score,
        )
        return len(notify(recipients=[seeker], message=message))

    assert [tell(s) for s in (60.0, 65.0, 69.9, 70.0, 70.0, 75.0, 80.5)] == [1, 0, 0, 1, 0, 0, 1]
    assert tell(45.0) == 0  # below the default minimum of 50
    assert Notification.objects.filter(recipient=seeker).count() == 3
