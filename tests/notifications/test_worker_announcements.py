"""From a published vacancy to e-mail at a real SMTP sink, through a real worker:
each side told once, a digest user told in the digest, an unsubscribe link that works
without login and cannot be forged."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from accounts.models import User
from config.celery import app
from matching.models import Kind as RunKind
from matching.models import Match, MatchRequest, MatchRun
from notifications.models import Frequency, Kind, Notification, Preference
from seekers.models import Visibility
from tests.notifications.sinks import Received, smtp_sink
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from tests.worker import Worker, celery_worker

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]
T = TypeVar("T")


def eventually(check: Callable[[], T], *, what: str, timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def sink() -> Iterator[tuple[int, Received]]:
    with smtp_sink() as running:
        yield running


@pytest.fixture(scope="module")
def worker(django_db_setup: Any, sink: tuple[int, Received]) -> Iterator[Worker]:
    port, _ = sink
    env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "MATCHING_SEEKER_DEBOUNCE_SECONDS": "3600"}
    with celery_worker(concurrency=2, name="announce", env=env) as running:
        yield running


@pytest.fixture(autouse=True)
def _quiet(settings: Any, sink: tuple[int, Received]) -> None:
    settings.MATCHING_SEEKER_DEBOUNCE_SECONDS = 3600  # only the vacancy's run here
    sink[1].items.clear()


def mails_to(received: Received, address: str) -> list[Any]:
    return [m for m in received.snapshot() if address in m["to"]]


def body_of(mail: dict[str, Any]) -> str:
    message = mail["message"]
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_a_new_match_is_told_once_to_each_side_by_mail(
    worker: Worker,
    sink: tuple[int, Received],
    owner: User,
    recruiter: User,
    seeker: User,
) -> None:
    _, received = sink
    Preference.objects.create(user=recruiter, email_enabled=False)
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS, headline="Сварщик")
    vacancy = post_vacancy(by=owner, title="Сварщик на Тенгиз", region="KZ-75")

    eventually(lambda: len(mail_targets(received)) == 2, what="both e-mails arrive")
    assert sorted(mail_targets(received)) == sorted([seeker.email, owner.email])
    assert Notification.objects.filter(recipient=recruiter).count() == 1  # inbox only
    match = Match.objects.get(vacancy=vacancy, seeker=profile)
    eventually(lambda: Match.objects.get(pk=match.pk).announced_score == match.score, what="told")

    # The worker matches the vacancy again: the same match, nobody told twice.
    MatchRequest.objects.filter(kind=RunKind.VACANCY, object_id=vacancy.pk).update(
        requested_at=match.computed_at, due_at=match.computed_at
    )
    app.send_task("matching.match_vacancy", args=[vacancy.pk])
    eventually(
        lambda: MatchRun.objects.filter(object_id=vacancy.pk).count() == 2, what="a second run"
    )
    time.sleep(2)  # time enough for a wrong announcement to reach the sink
    assert len(received.snapshot()) == 2
    assert Notification.objects.count() == 3


def mail_targets(received: Received) -> list[str]:
    return [address for m in received.snapshot() for address in m["to"]]


def test_a_digest_user_gets_one_digest_and_its_unsubscribe_link_works_without_login(
    worker: Worker, sink: tuple[int, Received], owner: User, seeker: User
) -> None:
    _, received = sink
    zone = "Asia/Bishkek"
    Preference.objects.create(
        user=seeker,
        frequency=Frequency.DAILY,
        time_zone=zone,
        digest_hour=datetime.now(ZoneInfo(zone)).hour,
    )
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    post_vacancy(by=owner, title="Сварщик", region="KZ-75")
    post_vacancy(by=owner, title="Монтажник", region="KZ-75")
    eventually(
        lambda: Notification.objects.filter(recipient=seeker, digest_pending=True).count() == 2,
        what="two matches wait for the digest",
    )
    assert mails_to(received, seeker.email) == []

    app.send_task("notifications.send_digests")
    mail = eventually(lambda: mails_to(received, seeker.email), what="the digest arrives")[0]
    assert Notification.objects.get(recipient=seeker, kind=Kind.DIGEST).items.count() == 2
    app.send_task("notifications.send_digests")
    time.sleep(2)
    assert len(mails_to(received, seeker.email)) == 1

    link = re.search(r"https?://\S+/notifications/unsubscribe/(\S+?)/", body_of(mail))
    assert link is not None
    anonymous = Client()
    forged = link.group(1)[:-2] + ("xx" if not link.group(1).endswith("xx") else "yy")
    assert anonymous.post(f"/notifications/unsubscribe/{forged}/").status_code == 400
    assert Preference.objects.get(user=seeker).email_enabled
    assert anonymous.post(f"/notifications/unsubscribe/{link.group(1)}/").status_code == 200
    assert not Preference.objects.get(user=seeker).email_enabled
