"""Half of 1,000 transactions roll back after they asked for work (a matching run and
an e-mail): a real worker does exactly the work of the ones that committed."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection, transaction

from matching.models import Kind, MatchRequest, MatchRun
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import Message, notify
from seekers import services as seeker_services
from seekers.models import SeekerProfile
from tests.faults import world
from tests.faults.processes import celery_worker, eventually
from tests.notifications.sinks import smtp_sink
from tests.worker import purge

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

TRANSACTIONS = 1000
CLIENTS = 4


class Undone(Exception):
    """The request failed after it had asked for its work."""


def test_of_a_thousand_transactions_only_the_committed_half_is_processed(settings: Any) -> None:
    settings.MATCHING_SEEKER_DEBOUNCE_SECONDS = 0
    purge(["matching", "notifications"])  # before the world: its own requests count
    # The first seeker made the others (and asked for its own run): not one of them.
    ids = world.seekers(TRANSACTIONS + 1, tag="rollback")[1:]
    profiles = SeekerProfile.objects.select_related("user").in_bulk(ids)
    committed: set[int] = set()
    undone: set[int] = set()
    failures: list[BaseException] = []

    def edit(n: int, pk: int) -> None:
        profile = profiles[pk]
        try:
            with transaction.atomic():
                seeker_services.profile_update(profile=profile, headline=f"Edit {n}")
                notify(
                    recipients=[profile.user],
                    message=Message(
                        kind="status_changed",
                        key=f"rollback:{n}",
                        context={"vacancy_title": f"Vacancy {n}", "status": "interview"},
                    ),
                )
                if n % 2:
                    raise Undone
            committed.add(pk)
        except Undone:
            undone.add(pk)

    def client(part: list[tuple[int, int]]) -> None:
        # Each thread is one web process's worth of requests, on its own connection.
        try:
            for n, pk in part:
                edit(n, pk)
        except BaseException as exc:  # a thread's error must reach the test
            failures.append(exc)
        finally:
            connection.close()

    with smtp_sink() as (port, mails):
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "MATCHING_SEEKER_DEBOUNCE_SECONDS": "0"}
        with celery_worker(name="rollbacks", queues="matching,notifications", env=env) as worker:
            numbered = list(enumerate(ids))
            threads = [
                threading.Thread(target=client, args=(numbered[k::CLIENTS],))
                for k in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            assert failures == []

            def runs() -> set[int]:
                return set(
                    MatchRun.objects.filter(kind=Kind.SEEKER, object_id__in=ids).values_list(
                        "object_id", flat=True
                    )
                )

            eventually(lambda: runs() >= committed, what="every committed edit is matched")
            eventually(lambda: len(mails.ids()) >= len(committed), what="every e-mail is sent")
            broker = redis.Redis.from_url(django_settings.REDIS_URL)
            eventually(
                lambda: not broker.llen("matching") and not broker.llen("notifications"),
                what="the queues are empty",
            )
            log = worker.text()

    assert len(committed) == len(undone) == TRANSACTIONS // 2
    assert runs() == committed
    assert MatchRun.objects.filter(object_id__in=ids).count() == len(committed)
    assert (
        set(MatchRequest.objects.filter(object_id__in=ids).values_list("object_id", flat=True))
        == committed
    )
    # The worker was never asked about the rolled-back half.
    # The worker was asked about the committed half and the first seeker's own run.
    assert len(re.findall(r"matching\.match_seeker\[[^\]]+\] received", log)) == len(committed) + 1
    assert (
        set(SeekerProfile.objects.filter(headline__startswith="Edit ").values_list("pk", flat=True))
        == committed
    )
    emailed = {to for mail in mails.snapshot() for to in mail["to"]}
    assert emailed == {profiles[pk].user.email for pk in committed}
    assert len(mails.ids()) == len(set(mails.ids())) == len(committed)
    assert Notification.objects.count() == len(committed)
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
