"""Log-in abuse: the lock after repeated failures clears by itself, the per-address
limit cannot be reset with a forged ``X-Forwarded-For``, the victim can still sign in
from elsewhere, and passwords are Argon2id hashes of at least the minimum length."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
LOGIN_PAGE = "/accounts/login/"
ATTACKER, VICTIM_HOME, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"


def _api_login(email: str, password: str, *, ip: str, forwarded_for: str | None = None) -> int:
    headers: dict[str, Any] = {"REMOTE_ADDR": ip}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    client = APIClient()
    response = client.post(TOKEN, {"email": email, "password": password}, format="json", **headers)
    return int(response.status_code)


def _lock_out(email: str, *, ip: str) -> None:
    statuses = [_api_login(email, "guess-1234", ip=ip) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {400}


def _age_failures(by: timedelta) -> None:
    """Time passes for the lockout: every recorded failure happened ``by`` earlier."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


def test_the_lock_clears_by_itself_once_the_cool_off_has_passed(seeker: User):
    _lock_out(seeker.email, ip=ATTACKER)
    assert _api_login(seeker.email, PASSWORD, ip=ATTACKER) == 429

    _age_failures(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    # not yet; and trying while locked starts the cool-off again (axes'
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so a guesser who keeps going stays out
    assert _api_login(seeker.email, PASSWORD, ip=ATTACKER) == 429
    _age_failures(timedelta(minutes=2))
    assert _api_login(seeker.email, PASSWORD, ip=ATTACKER) == 429

    _age_failures(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert _api_login(seeker.email, PASSWORD, ip=ATTACKER) == 201


def test_the_locked_out_victim_still_signs_in_from_another_address(seeker: User):
    _lock_out(seeker.email, ip=ATTACKER)
    assert _api_login(seeker.email, PASSWORD, ip=VICTIM_HOME) == 201
    page = Client(REMOTE_ADDR=VICTIM_HOME)
    response = page.post(LOGIN_PAGE, {"username": seeker.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in page.session
    # the attacker's address stays locked for that account
    assert _api_login(seeker.email, PASSWORD, ip=ATTACKER) == 429


def test_a_forged_forwarded_for_does_not_escape_the_lock(seeker: User):
    _lock_out(seeker.email, ip=ATTACKER)
    for forged in ("192.0.2.1", "192.0.2.2, 192.0.2.3", "not-an-address"):
        assert _api_login(seeker.email, PASSWORD, ip=ATTACKER, forwarded_for=forged) == 429


def test_one_address_trying_many_accounts_hits_the_per_address_limit(db):
    """Password spraying: a different e-mail each time, so no single account locks;
    the address's budget (20 a minute) runs out whatever X-Forwarded-For says."""
    statuses = [
        _api_login(f"user{n}@example.kz", "guess-1234", ip=ATTACKER, forwarded_for=f"192.0.2.{n}")
        for n in range(21)
    ]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429
    # a different real address is unaffected
    assert _api_login("user0@example.kz", "guess-1234", ip=VICTIM_HOME) == 400


def test_the_sign_in_page_shares_the_per_address_budget(seeker: User):
    for n in range(20):
        assert _api_login(f"user{n}@example.kz", "guess", ip=ATTACKER) == 400
    page = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    response = page.post(LOGIN_PAGE, {"username": seeker.email, "password": PASSWORD})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in page.session


def test_behind_the_trusted_proxy_only_the_address_it_appended_counts(settings, seeker: User):
    """With one proxy in front (TRUSTED_PROXY_COUNT=1, NUM_PROXIES=1) every request
    comes from the proxy's address; the client is the right-most X-Forwarded-For
    entry, the one the proxy appended. What the client wrote before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}

    statuses = [
        _api_login(
            f"user{n}@example.kz", "guess", ip=PROXY, forwarded_for=f"192.0.2.{n}, {ATTACKER}"
        )
        for n in range(21)
    ]
    assert statuses[20] == 429
    # another client behind the same proxy has its own budget and can sign in
    assert _api_login(seeker.email, PASSWORD, ip=PROXY, forwarded_for=VICTIM_HOME) == 201

    # the lockout keys on the same address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _api_login(seeker.email, "guess", ip=PROXY, forwarded_for=f"192.0.2.200, {VICTIM_HOME}")
    assert AccessAttempt.objects.get(username=seeker.email).ip_address == VICTIM_HOME
    assert _api_login(seeker.email, PASSWORD, ip=PROXY, forwarded_for=VICTIM_HOME) == 429
    assert _api_login(seeker.email, PASSWORD, ip=PROXY, forwarded_for="198.51.100.8") == 201


def test_passwords_are_stored_as_argon2id(api: APIClient):
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "saule@example.kz", "password": "steppe-eagle-2026", "role": "seeker"},
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(email="saule@example.kz").password.startswith("argon2$argon2id$")


SHORT = "Qz7!kP2"  # seven characters, not a common password


def test_the_api_sign_up_refuses_a_password_below_the_minimum_length(api: APIClient):
    response = api.post(
        "/api/v1/auth/register/",
        {"email": "short@example.kz", "password": SHORT, "role": "seeker"},
        format="json",
    )
    assert response.status_code == 400
    assert any("at least 8 characters" in m for m in response.json()["password"])
    assert not User.objects.filter(email="short@example.kz").exists()


def test_the_sign_up_page_refuses_a_password_below_the_minimum_length(client: Client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "short@example.kz",
            "full_name": "Сауле Омарова",
            "role": "seeker",
            "preferred_language": "en",
            "password": SHORT,
            "password_again": SHORT,
        },
    )
    assert response.status_code == 200
    assert "at least 8 characters" in response.content.decode()
    assert not User.objects.filter(email="short@example.kz").exists()
