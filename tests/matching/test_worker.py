"""Matching through a real Celery worker and Redis: what a user sees once a change commits.

The worker is another process on the same test database, so these tests commit
(``committed_db``) and wait for the worker's rows to appear, polling the database up to
a deadline. One worker serves the module; the sharded test restarts it with three
shards. Seekers' own runs are put an hour off (``MATCHING_SEEKER_DEBOUNCE_SECONDS``)
unless a test is about them, so what a vacancy test sees is the vacancy's run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from typing import Any, TypeVar

import pytest
import redis
from celery.result import AsyncResult
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Role, User
from config.celery import app
from matching import adapters, indexes
from matching.engine import score, shard_of
from matching.models import Kind, Match, MatchRequest, MatchRun, Standing
from matching.services import explain_pair
from seekers import services as seeker_services
from seekers.models import MobilityScope, SeekerProfile, Visibility
from tests.factories import UserFactory
from tests.seekers.factories import make_profile, skill
from tests.vacancies.factories import post_vacancy
from tests.worker import QUEUES, Worker, celery_worker
from vacancies.models import Vacancy

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

T = TypeVar("T")

DEADLINE = 30.0
SHARDS = 3


# --- The worker -----------------------------------------------------------------------


class Workers:
    """The module's worker: started once, restarted only for a test that needs it
    configured otherwise (two workers on the same queues would share the tasks)."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._config: tuple[str, tuple[tuple[str, str], ...]] | None = None
        self._worker: Worker | None = None

    def get(
        self, *, name: str, queues: str = QUEUES, env: Mapping[str, str] | None = None
    ) -> Worker:
        config = (queues, tuple(sorted((env or {}).items())))
        if self._worker is None or config != self._config:
            self.close()
            self._worker = self._stack.enter_context(
                celery_worker(name=name, queues=queues, env=env, concurrency=2)
            )
            self._config = config
        return self._worker

    def close(self) -> None:
        self._stack.close()
        self._worker = None

    def busy(self) -> bool:
        """Whether the worker runs a task, holds one to run, or has one waiting for it
        (a task scheduled for later does not count)."""
        if self._worker is None or self._config is None:
            return False
        client = redis.Redis.from_url(django_settings.REDIS_URL)
        if any(client.llen(queue) for queue in self._config[0].split(",")):
            return True
        inspect = app.control.inspect(destination=[self._worker.hostname], timeout=2, limit=1)
        replies = [inspect.active(), inspect.reserved()]
        return any(reply is None or any(reply.values()) for reply in replies)

    def wait_idle(self) -> None:
        eventually(lambda: not self.busy(), what="the worker is idle")


@pytest.fixture(scope="module")
def workers(django_db_setup: Any) -> Iterator[Workers]:
    # After django_db_setup, so that the worker is given the test database's name.
    running = Workers()
    yield running
    running.close()


@pytest.fixture
def worker(workers: Workers) -> Worker:
    return workers.get(name="matching")


@pytest.fixture
def sharded_worker(workers: Workers, settings: Any) -> Worker:
    # The web processes and the workers of one platform share one configuration.
    settings.MATCHING_SHARDS = SHARDS
    shard_queues = ",".join(f"matching.shard{shard}" for shard in range(SHARDS))
    return workers.get(
        name="matching-sharded",
        queues=f"{QUEUES},{shard_queues}",
        env={"MATCHING_SHARDS": str(SHARDS)},
    )


@pytest.fixture(autouse=True)
def _worker_done_before_the_flush(committed_db: None, workers: Workers) -> Iterator[None]:
    # Set up after committed_db, so this waits before its flush: a task still running
    # then (the announcement of new matches, a shard's part) would deadlock with the
    # TRUNCATE or write into the next test.
    yield
    workers.wait_idle()


@pytest.fixture(autouse=True)
def _seekers_run_later(settings: Any) -> None:
    settings.MATCHING_SEEKER_DEBOUNCE_SECONDS = 3600


# --- Helpers --------------------------------------------------------------------------


def eventually(check: Callable[[], T], *, what: str, timeout: float = DEADLINE) -> T:
    """Poll ``check`` until it returns something true; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what} (see .var/worker-*.log)")
        time.sleep(0.1)


def request_closed(kind: str, object_id: int) -> bool:
    return MatchRequest.objects.filter(
        kind=kind, object_id=object_id, requested_at__isnull=True, last_run_at__isnull=False
    ).exists()


def wait_for_run(kind: str, object_id: int, *, timeout: float = DEADLINE) -> None:
    """Until the worker has run the request (the run closes it in its own transaction)."""
    eventually(
        lambda: request_closed(kind, object_id),
        what=f"the worker ran the {kind} {object_id}",
        timeout=timeout,
    )


def runs(kind: str, object_id: int) -> list[MatchRun]:
    return list(MatchRun.objects.filter(kind=kind, object_id=object_id))


def send(name: str, object_id: int) -> AsyncResult[Any]:
    """Deliver a task by name as the broker would, keeping its result to wait on."""
    return app.send_task(name, args=[object_id], ignore_result=False)


def holds(worker: Worker, name: str, object_id: int) -> bool:
    """Whether the worker holds a task ``name`` for ``object_id``, waiting or running."""
    inspect = app.control.inspect(destination=[worker.hostname], timeout=2, limit=1)
    tasks = [
        entry["request"] for entries in (inspect.scheduled() or {}).values() for entry in entries
    ]
    for replies in (inspect.reserved(), inspect.active()):
        tasks += [task for entries in (replies or {}).values() for task in entries]
    return any(task["name"] == name and list(task["args"]) == [object_id] for task in tasks)


def stored(vacancy: Vacancy) -> dict[int, Decimal]:
    return dict(
        Match.objects.filter(vacancy=vacancy, standing=Standing.CURRENT).values_list(
            "seeker_id", "score"
        )
    )


def unsharded(vacancy: Vacancy) -> dict[int, Decimal]:
    """What a direct run in this process stores: the seeker index, whole, asked here."""
    indexes.registry.forget()
    record = adapters.vacancy_records([vacancy.pk], today=timezone.localdate())[vacancy.pk]
    found = indexes.best_seekers(record, k=django_settings.MATCHING_TOP_SEEKERS)
    threshold = django_settings.MATCHING_MIN_SCORE
    return {r.seeker_id: Decimal(str(r.score)) for r in found if r.score >= threshold}


def one_by_one(vacancy: Vacancy) -> dict[int, Decimal]:
    """The engine's verdict on every matchable seeker in turn, without any index."""
    today = timezone.localdate()
    record = adapters.vacancy_records([vacancy.pk], today=today)[vacancy.pk]
    ref = indexes.registry.reference()
    results = [score(s, record, ref) for s in adapters.iter_seeker_records(today=today)]
    threshold = django_settings.MATCHING_MIN_SCORE
    return {
        r.seeker_id: Decimal(str(r.score)) for r in results if r.eligible and r.score >= threshold
    }


@contextmanager
def run_lock_held(kind: str, object_id: int) -> Iterator[int]:
    """Hold the advisory lock a run of the object takes (``services.run``), so that
    deliveries queue up behind it; yields the lock's key."""
    key = object_id * 2 + (1 if kind == Kind.SEEKER else 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield key
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def on_lock(key: int, *, waiting: bool = False) -> int:
    """The sessions holding (or only those waiting for) an advisory lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND (NOT %s OR NOT granted)"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
            [waiting, key >> 32, key & 0xFFFFFFFF],
        )
        (count,) = cursor.fetchone() or (0,)
    return int(count)


def publish_unsent(owner: User, monkeypatch: pytest.MonkeyPatch) -> Vacancy:
    """Publish a vacancy, keeping its task's message back (the test delivers it)."""
    sent: list[tuple[str, list[Any]]] = []
    with monkeypatch.context() as patched:
        patched.setattr(app, "send_task", lambda name, args, **_: sent.append((name, args)))
        vacancy = post_vacancy(by=owner)
    assert sent == [("matching.match_vacancy", [vacancy.pk])]
    return vacancy


def welder(user: User, **fields: Any) -> SeekerProfile:
    return make_profile(user, visibility=Visibility.ALL_EMPLOYERS, **fields)


def a_seeker() -> User:
    return UserFactory.create(role=Role.SEEKER)


# --- The tests ------------------------------------------------------------------------


def test_publishing_a_vacancy_brings_its_matches_from_the_worker_once_per_pair(
    worker: Worker, owner: User, seeker: User, other_seeker: User
) -> None:
    strong = welder(seeker, skills=(("welding", 5), ("arc-welding", 4)))
    welder(other_seeker, skills=(("welding", 2),))
    foreigner = welder(a_seeker(), citizenships=("UZ",), country="UZ", region=None)

    vacancy = post_vacancy(by=owner, eligibility="eaeu")

    wait_for_run(Kind.VACANCY, vacancy.pk)
    matches = list(Match.objects.filter(vacancy=vacancy).order_by("-score", "seeker_id"))
    pairs = [(m.vacancy_id, m.seeker_id) for m in matches]
    assert len(pairs) == len(set(pairs))
    assert matches[0].seeker_id == strong.pk
    assert foreigner.pk not in {seeker_id for _, seeker_id in pairs}
    assert {m.seeker_id: m.score for m in matches} == stored(vacancy) == unsharded(vacancy)
    assert [(r.trigger, r.created) for r in runs(Kind.VACANCY, vacancy.pk)] == [
        ("request", len(matches))
    ]


def test_a_vacancy_task_delivered_again_changes_nothing(
    worker: Worker, owner: User, seeker: User, other_seeker: User
) -> None:
    welder(seeker)
    welder(other_seeker, country="KG", region="KG-GB", citizenships=("KG",))
    vacancy = post_vacancy(by=owner)
    wait_for_run(Kind.VACANCY, vacancy.pk)
    columns = ("id", "seeker_id", "score", "standing", "created_at", "computed_at")
    before = list(Match.objects.filter(vacancy=vacancy).order_by("id").values_list(*columns))
    assert before

    again = [send("matching.match_vacancy", vacancy.pk) for _ in range(2)]

    assert [r.get(timeout=DEADLINE) for r in again] == ["nothing pending", "nothing pending"]
    after = list(Match.objects.filter(vacancy=vacancy).order_by("id").values_list(*columns))
    assert after == before
    assert len(runs(Kind.VACANCY, vacancy.pk)) == 1


def test_two_deliveries_of_a_pending_request_at_once_make_one_run(
    worker: Worker, owner: User, seeker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = welder(seeker)
    vacancy = publish_unsent(owner, monkeypatch)

    with run_lock_held(Kind.VACANCY, vacancy.pk) as key:
        deliveries = [send("matching.match_vacancy", vacancy.pk) for _ in range(2)]
        eventually(lambda: on_lock(key, waiting=True) == 2, what="both deliveries reached the run")
    for delivery in deliveries:
        delivery.get(timeout=DEADLINE)

    assert request_closed(Kind.VACANCY, vacancy.pk)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("seeker_id", flat=True)) == [
        profile.pk
    ]
    assert len(runs(Kind.VACANCY, vacancy.pk)) == 1


def test_a_seekers_edits_in_a_row_make_one_run_once_they_pause(
    worker: Worker, owner: User, seeker: User, settings: Any
) -> None:
    vacancy = post_vacancy(by=owner, skills=(("welding", 3, True),))
    wait_for_run(Kind.VACANCY, vacancy.pk)
    settings.MATCHING_SEEKER_DEBOUNCE_SECONDS = 2
    profile = welder(seeker, skills=(("welding", 1),))

    # Each edit comes within the interval of the one before, and together they last
    # longer than it: a run timed from the first edit would come in their midst.
    for level in (1, 2, 3, 4, 5):
        time.sleep(0.6)
        profile = seeker_services.profile_update(
            profile=profile,
            headline=f"Сварщик {level} разряда",
            skills=[{"skill": skill("welding"), "level": level, "years": 5}],
        )

    wait_for_run(Kind.SEEKER, profile.pk)
    eventually(
        lambda: not holds(worker, "matching.match_seeker", profile.pk),
        what="the worker is done with the seeker's tasks",
    )
    assert len(runs(Kind.SEEKER, profile.pk)) == 1
    # The run saw the last edit: what it stored is the engine's verdict on it.
    verdict = explain_pair(vacancy=vacancy, profile=profile)
    assert verdict is not None
    assert Match.objects.get(vacancy=vacancy, seeker=profile).score == Decimal(str(verdict.score))


def test_a_vacancy_published_while_the_broker_is_down_is_matched_once_the_relay_runs(
    worker: Worker, owner: User, seeker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = welder(seeker)

    def broker_down(*args: Any, **kwargs: Any) -> None:
        # What kombu raises when Redis refuses the connection.
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(app, "send_task", broker_down)
        vacancy = post_vacancy(by=owner)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.PUBLISHED
    request = MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert request.requested_at is not None and request.dispatched_at is None
    assert not Match.objects.filter(vacancy=vacancy).exists()

    assert app.send_task("matching.relay", ignore_result=False).get(timeout=DEADLINE) == 1

    wait_for_run(Kind.VACANCY, vacancy.pk)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("seeker_id", flat=True)) == [
        profile.pk
    ]
    assert len(runs(Kind.VACANCY, vacancy.pk)) == 1


COUNTRIES = {
    "KZ": ("KZ-75", "KZ-23", "KZ-79", "KZ-47"),
    "KG": ("KG-GB", "KG-C"),
    "RU": ("RU-MOW", "RU-NVS"),
    "BY": ("BY-HM",),
    "AM": ("AM-ER",),
}
SKILLS = ("welding", "arc-welding", "tig-welding", "pipe-welding", "plumbing", "carpentry")


def test_a_vacancy_matched_over_three_shards_gets_what_one_whole_run_would(
    sharded_worker: Worker, owner: User
) -> None:
    rng = random.Random(20240605)
    for _ in range(40):
        country = rng.choice([*COUNTRIES, "UZ"])
        welder(
            a_seeker(),
            country=country,
            region=rng.choice(COUNTRIES[country]) if country in COUNTRIES else None,
            citizenships=(country,),
            skills=[(key, rng.randint(1, 5)) for key in rng.sample(SKILLS, rng.randint(1, 3))],
            mobility_scope=rng.choice(
                [MobilityScope.REGION, MobilityScope.COUNTRY, MobilityScope.EAEU]
            ),
        )

    vacancy = post_vacancy(
        by=owner, eligibility="eaeu", skills=(("welding", 3, True), ("arc-welding", 2, False))
    )

    wait_for_run(Kind.VACANCY, vacancy.pk, timeout=DEADLINE * 2)
    expected = unsharded(vacancy)
    assert expected == one_by_one(vacancy)
    assert 0 < len(expected) < 40
    assert {shard_of(pk, SHARDS) for pk in expected} == set(range(SHARDS))
    assert stored(vacancy) == expected
    assert [(r.trigger, r.shards) for r in runs(Kind.VACANCY, vacancy.pk)] == [("shards", SHARDS)]


def test_a_sharded_vacancy_task_delivered_again_before_the_merge_makes_one_run(
    sharded_worker: Worker, owner: User, seeker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    welder(seeker)
    vacancy = publish_unsent(owner, monkeypatch)

    with run_lock_held(Kind.VACANCY, vacancy.pk) as key:
        first = send("matching.match_vacancy", vacancy.pk).get(timeout=DEADLINE)
        assert first == "sent to the shards"
        eventually(
            lambda: on_lock(key, waiting=True) == 1, what="the shards' merge reached the run"
        )
        again = send("matching.match_vacancy", vacancy.pk).get(timeout=DEADLINE)
        if again == "sent to the shards":
            eventually(
                lambda: on_lock(key, waiting=True) == 2, what="the second merge reached the run"
            )
    # Whatever reached the lock has run once no one holds or waits for it.
    eventually(lambda: on_lock(key) == 0, what="the merges finished")

    assert request_closed(Kind.VACANCY, vacancy.pk)
    assert len(runs(Kind.VACANCY, vacancy.pk)) == 1
