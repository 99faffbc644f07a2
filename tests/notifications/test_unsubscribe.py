"""Unsubscribe links: no login, a confirmation page on GET, the change on POST (the
page's button or a mail client's RFC 8058 one-click), and nothing for a forged token."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from accounts.models import User
from notifications.models import Kind, Preference
from notifications.unsubscribe import (
    ALL_EMAIL,
    SALT,
    InvalidUnsubscribeToken,
    unsubscribe_apply,
    unsubscribe_path,
    unsubscribe_read,
    unsubscribe_token,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> Client:
    # CSRF checks on, as in production: the one-click POST must pass without a token.
    return Client(enforce_csrf_checks=True)


def test_the_link_shows_a_confirmation_and_changes_nothing(seeker: User, browser: Client) -> None:
    response = browser.get(unsubscribe_path(user=seeker))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Stop all e-mail from Borderless to {seeker.email}?" in page
    assert '<form method="post">' in page
    assert not Preference.objects.filter(user=seeker).exists()


def test_the_button_turns_all_email_off_without_a_login(seeker: User, browser: Client) -> None:
    response = browser.post(unsubscribe_path(user=seeker))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    preference = Preference.objects.get(user=seeker)
    assert preference.email_enabled is False
    assert preference.muted_kinds == []


def test_a_mail_clients_one_click_post_mutes_the_kind(seeker: User, browser: Client) -> None:
    Preference.objects.create(user=seeker, muted_kinds=[Kind.MATCH_FOR_SEEKER], frequency="daily")

    response = browser.post(
        unsubscribe_path(user=seeker, scope=Kind.STATUS_CHANGED),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    preference = Preference.objects.get(user=seeker)
    assert preference.muted_kinds == [Kind.MATCH_FOR_SEEKER, Kind.STATUS_CHANGED]
    assert preference.email_enabled is True
    assert preference.frequency == "daily"


def test_unsubscribing_twice_changes_nothing_more(seeker: User, browser: Client) -> None:
    path = unsubscribe_path(user=seeker, scope=Kind.STATUS_CHANGED)

    browser.post(path)
    browser.post(path)

    assert Preference.objects.get(user=seeker).muted_kinds == [Kind.STATUS_CHANGED]


def test_the_page_speaks_the_users_language(seeker: User, browser: Client) -> None:
    seeker.preferred_language = "ru"
    seeker.save(update_fields=["preferred_language"])

    response = browser.get(unsubscribe_path(user=seeker, scope=Kind.INVITATION_RECEIVED))

    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert f"Больше не присылать такие письма (Получено приглашение) на {seeker.email}?" in page
    assert response["Content-Language"] == "ru"


def test_it_works_while_someone_else_is_signed_in(
    seeker: User, other_seeker: User, browser: Client
) -> None:
    browser.force_login(other_seeker)

    browser.post(unsubscribe_path(user=seeker))

    assert Preference.objects.get(user=seeker).email_enabled is False
    assert not Preference.objects.filter(user=other_seeker).exists()


def _altered(token: str) -> str:
    value, stamp, signature = token.split(":")
    return f"{value}:{stamp}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


def _forgeries(victim: User) -> list[str]:
    genuine = unsubscribe_token(user=victim, scope=Kind.STATUS_CHANGED)
    other_payload = signing.dumps({"u": victim.pk, "s": ALL_EMAIL}, salt=SALT).split(":")[0]
    return [
        _altered(genuine),  # a changed signature
        ":".join([other_payload, *genuine.split(":")[1:]]),  # a changed payload
        signing.dumps({"u": victim.pk, "s": ALL_EMAIL}, salt="another.purpose"),
        signing.dumps({"u": victim.pk, "s": ALL_EMAIL}, salt=SALT, key="x" * 50),
        signing.dumps({"u": victim.pk, "s": "everything-else"}, salt=SALT),
        "not-a-token",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_token_is_refused_and_changes_nothing(
    seeker: User, browser: Client, method: str
) -> None:
    Preference.objects.create(user=seeker)
    for token in _forgeries(seeker):
        response = getattr(browser, method)(f"/notifications/unsubscribe/{token}/")

        assert response.status_code == 400, token
        assert "This unsubscribe link is not valid" in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    preference = Preference.objects.get(user=seeker)
    assert preference.email_enabled is True
    assert preference.muted_kinds == []


def test_a_token_of_a_deleted_user_is_refused(browser: Client) -> None:
    gone = UserFactory.create()
    path = unsubscribe_path(user=gone)
    gone.delete()

    assert browser.post(path).status_code == 400


def test_a_token_names_the_user_and_the_scope(seeker: User) -> None:
    read = unsubscribe_read(unsubscribe_token(user=seeker, scope=Kind.DIGEST))

    assert read.user == seeker
    assert read.scope == Kind.DIGEST
    assert not read.is_all
    with pytest.raises(InvalidUnsubscribeToken):
        unsubscribe_read(_altered(unsubscribe_token(user=seeker)))
    with pytest.raises(ValueError, match="not an unsubscribe scope"):
        unsubscribe_token(user=seeker, scope="sms")


def test_applying_creates_the_preference_with_its_defaults(seeker: User) -> None:
    preference = unsubscribe_apply(
        unsubscribe=unsubscribe_read(unsubscribe_token(user=seeker, scope=Kind.DIGEST))
    )

    assert preference.pk is not None
    assert preference.muted_kinds == [Kind.DIGEST]
    assert preference.frequency == "instant"
    assert preference.email_enabled is True


def test_only_get_and_post_are_answered(seeker: User, browser: Client) -> None:
    response: Any = browser.put(unsubscribe_path(user=seeker))

    assert response.status_code == 405
