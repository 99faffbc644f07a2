"""Redis goes away under the web (gunicorn) and a worker, each on a private Redis of
the test's own: seekers and employers keep saving through the API, the work waits in
the outbox table, and once Redis is back the relay and the sweep (beat's tasks) leave
nothing unmatched."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role, User
from matching.models import Kind, Match, MatchRequest, MatchRun, Standing
from seekers.models import SeekerProfile
from tests.factories import PASSWORD, EmployerFactory, MemberFactory, UserFactory
from tests.faults.processes import (
    PrivateRedis,
    Web,
    celery_worker,
    eventually,
    private_redis,
    run_python,
    web_server,
)
from tests.seekers.factories import profile_body
from tests.vacancies.factories import vacancy_body
from vacancies.models import Vacancy

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("committed_db")]

TIMEOUT = 60.0  # a request may wait for the broker's own time-out (about six seconds)


@dataclass
class Platform:
    redis: PrivateRedis
    web: Web
    env: dict[str, str]


@pytest.fixture
def platform() -> Iterator[Platform]:
    with private_redis() as server:
        env = {
            "REDIS_URL": server.url(0),
            # A seeker's edit is matched at once: the test waits for nothing else.
            "MATCHING_SEEKER_DEBOUNCE_SECONDS": "0",
            "MATCHING_RELAY_GRACE_SECONDS": "5",
        }
        with web_server(name="web-redis", env=env) as web:
            yield Platform(redis=server, web=web, env=env)


def token(user: User) -> str:
    return str(AuthToken.objects.create(user=user)[1])


def seekers(count: int, tag: str) -> list[tuple[User, str]]:
    people = [
        UserFactory.create(role=Role.SEEKER, email=f"{tag}.{n}@faults.test") for n in range(count)
    ]
    return [(person, token(person)) for person in people]


def owners(count: int, tag: str) -> list[tuple[User, str]]:
    people = [
        MemberFactory.create(
            employer=EmployerFactory.create(name=f"ТОО «{tag} {n}»", country_id="KZ"),
            role="owner",
            user__email=f"owner.{tag}.{n}@faults.test",
        ).user
        for n in range(count)
    ]
    return [(person, token(person)) for person in people]


class Client:
    """One person at the keyboard: every answer's status is kept, in order."""

    def __init__(self, web: Web, key: str) -> None:
        self.http = httpx.Client(
            base_url=web.url, headers={"Authorization": f"Token {key}"}, timeout=TIMEOUT
        )
        self.statuses: list[int] = []

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, path, json=body)
        self.statuses.append(response.status_code)
        return response.json() if response.content else None

    def profile(self) -> None:
        """A seeker's profile, then the consent that makes it matchable."""
        self.call("PUT", "/api/v1/profile/", profile_body())
        self.call("POST", "/api/v1/profile/consent/")

    def vacancy(self) -> int:
        """An employer's vacancy, created and published; its id."""
        made = self.call("POST", "/api/v1/employer/vacancies/", vacancy_body())
        self.call("POST", f"/api/v1/employer/vacancies/{made['id']}/publish/")
        return int(made["id"])


def relay_and_sweep(platform: Platform) -> str:
    """Beat's two tasks, run once in a process of their own on the private Redis."""
    return run_python(
        "from matching.tasks import relay, sweep; print(relay(), sweep())", env=platform.env
    )


def matched_since_last_change(kind: str, objects: Any) -> set[int]:
    """The objects whose request is closed by a run after their last change."""
    done = set()
    for pk, updated_at in objects.values_list("pk", "updated_at"):
        request = MatchRequest.objects.filter(kind=kind, object_id=pk).first()
        if (
            request is not None
            and request.requested_at is None
            and request.last_run_at is not None
            and request.last_run_at >= updated_at
        ):
            done.add(pk)
    return done


def test_with_redis_stopped_the_web_keeps_saving_and_the_outbox_catches_up(
    platform: Platform,
) -> None:
    people = seekers(6, "stopped")
    employers = owners(3, "stopped")
    with celery_worker(name="redis-stopped", env=platform.env) as worker:
        platform.redis.stop()
        stopped_at = timezone.now()

        clients = [Client(platform.web, key) for _, key in people]
        for client in clients:
            client.profile()
        offices = [Client(platform.web, key) for _, key in employers]
        vacancies = [office.vacancy() for office in offices]
        # Log-in is throttled through the cache: it still answers with Redis gone.
        login = httpx.post(
            f"{platform.web.url}/api/v1/auth/token/",
            json={"email": people[0][0].email, "password": PASSWORD},
            timeout=TIMEOUT,
        )

        statuses = [s for c in (*clients, *offices) for s in c.statuses]
        assert statuses == [201, 200] * len(clients) + [201, 200] * len(offices)
        assert login.status_code == 201, login.text
        # Saved and published, the work waits in the outbox, never sent.
        profiles = list(SeekerProfile.objects.filter(user__in=[u for u, _ in people]))
        assert len(profiles) == len(people)
        assert all(p.consent_given_at is not None for p in profiles)
        assert Vacancy.objects.filter(pk__in=vacancies, status="published").count() == 3
        waiting = MatchRequest.objects.filter(requested_at__gte=stopped_at, dispatched_at=None)
        assert set(waiting.filter(kind=Kind.VACANCY).values_list("object_id", flat=True)) == set(
            vacancies
        )
        assert set(waiting.filter(kind=Kind.SEEKER).values_list("object_id", flat=True)) == {
            p.pk for p in profiles
        }
        assert not MatchRun.objects.exists()

        platform.redis.start()  # empty: what was sent before the stop is gone too
        eventually(
            lambda: "Connected to redis" in worker.text().rsplit("Cannot connect", 1)[-1],
            what="the worker is back on Redis",
        )
        relay_and_sweep(platform)

        eventually(
            lambda: (
                matched_since_last_change(Kind.VACANCY, Vacancy.objects.all()) == set(vacancies)
                and matched_since_last_change(Kind.SEEKER, SeekerProfile.objects.all())
                == {p.pk for p in profiles}
            ),
            what="every vacancy and profile saved while Redis was down is matched",
        )
    # Each pair is a match, found from whichever side ran last.
    pairs = set(
        Match.objects.filter(standing=Standing.CURRENT).values_list("vacancy_id", "seeker_id")
    )
    assert pairs == {(v, p.pk) for v in vacancies for p in profiles}


def test_redis_killed_mid_burst_leaves_nothing_unmatched_once_relay_and_sweep_ran(
    platform: Platform,
) -> None:
    people = seekers(24, "killed")
    employers = owners(8, "killed")
    clients = [Client(platform.web, key) for _, key in people]
    offices = [Client(platform.web, key) for _, key in employers]
    vacancies: list[int] = []
    failures: list[BaseException] = []

    def burst(share: list[Client], kind: str) -> None:
        try:
            for client in share:
                if kind == "seeker":
                    client.profile()
                    client.call("PATCH", "/api/v1/profile/", {"headline": "Сварщик, вахта"})
                else:
                    vacancies.append(client.vacancy())
        except BaseException as exc:  # a thread's error must reach the test
            failures.append(exc)

    with ExitStack() as supervisor:
        worker = supervisor.enter_context(celery_worker(name="redis-killed", env=platform.env))
        threads = [
            threading.Thread(target=burst, args=(clients[k::3], "seeker")) for k in range(3)
        ] + [threading.Thread(target=burst, args=(offices, "employer"))]
        for thread in threads:
            thread.start()
        # A third of the burst is in (and being matched), then Redis dies.
        eventually(
            lambda: MatchRun.objects.count() >= 5 and len(vacancies) >= 2,
            what="the burst is under way and the worker matching it",
        )
        platform.redis.kill()
        time.sleep(1)
        platform.redis.start()
        for thread in threads:
            thread.join(timeout=300)
        assert failures == []
        assert not any(thread.is_alive() for thread in threads)
        if worker.process.poll() is not None:
            # Celery 5.7's Redis transport may stop the worker with "Unrecoverable
            # error" when the connection drops during an acknowledgement; in production
            # the process supervisor (systemd, honcho) starts it again, as here.
            assert "Unrecoverable error" in worker.text()
            supervisor.enter_context(celery_worker(name="redis-killed-again", env=platform.env))

        statuses = [s for c in (*clients, *offices) for s in c.statuses]
        assert len(statuses) == 3 * len(clients) + 2 * len(offices)
        assert not [s for s in statuses if s >= 500]
        assert set(statuses) <= {200, 201}

        profiles = SeekerProfile.objects.filter(user__in=[u for u, _ in people])
        published = Vacancy.objects.filter(pk__in=vacancies, status="published")
        assert profiles.count() == len(people) and published.count() == len(offices)

        def all_matched() -> bool:
            # Beat's relay and sweep, as often as the test looks.
            relay_and_sweep(platform)
            return matched_since_last_change(Kind.VACANCY, published) == set(
                vacancies
            ) and matched_since_last_change(Kind.SEEKER, profiles) == set(
                profiles.values_list("pk", flat=True)
            )

        # Each look starts a process for the relay and the sweep: slow on a busy machine.
        eventually(
            all_matched, what="no vacancy or profile is left unmatched", every=2, timeout=240
        )

    pairs = set(
        Match.objects.filter(standing=Standing.CURRENT).values_list("vacancy_id", "seeker_id")
    )
    assert pairs == {(v, p) for v in vacancies for p in profiles.values_list("pk", flat=True)}
