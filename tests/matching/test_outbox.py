"""The matching outbox: requests written with the change, sent after commit, re-sent by
the relay, found by the sweep; and the commands that drive it."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from config import celery as celery_config
from config.celery import app as celery_app
from matching import indexes, services
from matching.models import Kind, Match, MatchRequest, MatchRun
from seekers import services as seeker_services
from seekers.models import Visibility
from taxonomy.models import ExchangeRate
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[Any]]]:
    """The tasks sent to the broker (the worker tests use the real one)."""
    calls: list[tuple[str, list[Any]]] = []

    def send_task(name: str, args: list[Any], **_: Any) -> None:
        calls.append((name, args))

    monkeypatch.setattr(celery_app, "send_task", send_task)
    return calls


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def send_task(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery_app, "send_task", send_task)


def test_a_published_vacancy_is_sent_to_the_worker_once_committed(
    owner: User, sent: list[tuple[str, list[Any]]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = post_vacancy(by=owner)
    assert sent == [("matching.match_vacancy", [vacancy.pk])]
    request = MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert request.dispatched_at is not None


def test_a_rolled_back_change_asks_for_nothing(owner: User) -> None:
    from django.db import transaction

    def publish_then_fail() -> None:
        with transaction.atomic():
            post_vacancy(by=owner)
            raise RuntimeError("the request failed later on")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert not MatchRequest.objects.exists()


def test_many_edits_of_a_profile_send_one_task_due_after_the_debounce(
    seeker: User, sent: list[tuple[str, list[Any]]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    for headline in ("Сварщик", "Сварщик 5 разряда", "Welder"):
        with django_capture_on_commit_callbacks(execute=True):
            seeker_services.profile_update(profile=profile, headline=headline)

    assert sent == [("matching.match_seeker", [profile.pk])]
    request = MatchRequest.objects.get(kind=Kind.SEEKER, object_id=profile.pk)
    assert request.due_at is not None
    assert request.due_at > timezone.now() + timedelta(seconds=30)
    # Delivered early, the task puts itself off instead of running.
    assert services.match_request_process(kind=Kind.SEEKER, object_id=profile.pk) == ("not due yet")
    assert not MatchRun.objects.exists()


def test_with_the_broker_down_the_save_succeeds_and_the_relay_sends_it_later(
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
    broker_down: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = post_vacancy(by=owner)
    request = MatchRequest.objects.get(kind=Kind.VACANCY, object_id=vacancy.pk)
    assert request.requested_at is not None
    assert request.dispatched_at is None

    calls: list[Any] = []
    celery_config._broker_down_until = 0.0  # Redis is back (the pause has passed)
    monkeypatch.setattr(celery_app, "send_task", lambda name, args, **_: calls.append((name, args)))
    assert services.match_requests_relay() == 1
    assert calls == [("matching.match_vacancy", [vacancy.pk])]
    # Sent just now: the next relay leaves it to the worker for the grace period.
    assert services.match_requests_relay() == 0


def test_the_sweep_asks_for_what_was_loaded_without_a_request(
    owner: User, seeker: User, sent: list[tuple[str, list[Any]]]
) -> None:
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner)
    MatchRequest.objects.all().delete()  # as after a bulk load

    asked = services.match_requests_sweep()

    assert asked == {Kind.VACANCY: 1, Kind.SEEKER: 1}
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
    services.match_now(kind=Kind.SEEKER, object_id=profile.pk)
    # Matched since their last change: nothing more to ask for.
    assert services.match_requests_sweep() == {Kind.VACANCY: 0, Kind.SEEKER: 0}


def test_new_exchange_rates_re_run_the_vacancies_that_state_a_salary(
    owner: User, sent: list[tuple[str, list[Any]]], django_capture_on_commit_callbacks: Any
) -> None:
    paid = post_vacancy(by=owner, salary_min=400000, salary_currency_id="KZT")
    post_vacancy(by=owner)
    for vacancy_id in MatchRequest.objects.values_list("object_id", flat=True):
        services.match_request_process(kind=Kind.VACANCY, object_id=vacancy_id)
    cache.delete(services.RATES_SEEN_KEY)
    services.match_requests_sweep()
    sent.clear()

    ExchangeRate.objects.create(
        currency_id="KZT", date=timezone.localdate(), units_per_usd="505.5", source="test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.match_requests_sweep()

    assert asked["rates"] == 1
    assert sent == [("matching.match_vacancy", [paid.pk])]


def test_rematch_now_prints_what_it_found(owner: User, seeker: User) -> None:
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner)
    out = StringIO()

    call_command("rematch", "--vacancy", str(vacancy.pk), "--now", stdout=out)

    assert f"vacancy {vacancy.pk}: " in out.getvalue()
    assert "1 new" in out.getvalue()
    assert Match.objects.filter(vacancy=vacancy).count() == 1


def test_rematch_without_a_target_says_what_is_missing() -> None:
    with pytest.raises(CommandError, match="Say what to match"):
        call_command("rematch")


def test_rebuild_match_index_writes_snapshots_a_worker_loads(seeker: User) -> None:
    make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    out = StringIO()

    call_command("rebuild_match_index", stdout=out)

    assert "seekers-0-of-1: 1 rows" in out.getvalue()
    indexes.registry.forget()
    held = indexes.registry.get(indexes._seeker_source(0, 1))
    assert len(held.index) == 1
