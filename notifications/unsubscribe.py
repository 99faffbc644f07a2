"""Unsubscribe links: a signed token naming a user and what they no longer want by
e-mail (all of it, or one kind), and the service that applies it.

The token is the only proof asked for: whoever holds it got it in the user's mailbox
(RFC 8058 one-click POSTs come from the mail provider, without cookies or a login).
It never expires, because a link in an old e-mail must keep working; it can only turn
e-mail off, never on, so a leaked token does little harm.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from notifications.models import Kind, Preference

SALT = "notifications.unsubscribe"
ALL_EMAIL = "all"


class InvalidUnsubscribeToken(Exception):
    """The token was forged, altered or names nobody any more."""


@dataclass(frozen=True)
class Unsubscribe:
    """Who asked to hear less, and of what: ``ALL_EMAIL`` or a ``Kind`` value."""

    user: User
    scope: str

    @property
    def is_all(self) -> bool:
        return self.scope == ALL_EMAIL


def _valid_scope(scope: str) -> bool:
    return scope == ALL_EMAIL or scope in Kind.values


def unsubscribe_token(*, user: User, scope: str = ALL_EMAIL) -> str:
    if not _valid_scope(scope):
        raise ValueError(f"not an unsubscribe scope: {scope!r}")
    return _token(user.pk, scope, settings.SECRET_KEY)


@functools.lru_cache(maxsize=4096)
def _token(user_id: int, scope: str, secret: str) -> str:
    # The same token every time (no timestamp in it), and every e-mail carries two:
    # signed once per recipient and scope in a worker's life. The secret is part of the
    # key, so a rotated key signs afresh.
    return signing.dumps({"u": user_id, "s": scope}, key=secret, salt=SALT)


def unsubscribe_path(*, user: User, scope: str = ALL_EMAIL) -> str:
    """The site path of the unsubscribe page for ``user`` and ``scope``."""
    token = unsubscribe_token(user=user, scope=scope)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def unsubscribe_read(token: str) -> Unsubscribe:
    """What the token asks for; ``InvalidUnsubscribeToken`` if it cannot be trusted."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidUnsubscribeToken("bad signature") from exc
    if not isinstance(payload, dict):
        raise InvalidUnsubscribeToken("not an unsubscribe token")
    user_id, scope = payload.get("u"), payload.get("s")
    if not isinstance(user_id, int) or not isinstance(scope, str) or not _valid_scope(scope):
        raise InvalidUnsubscribeToken("not an unsubscribe token")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidUnsubscribeToken("the user is gone")
    return Unsubscribe(user=user, scope=scope)


@transaction.atomic
def unsubscribe_apply(*, unsubscribe: Unsubscribe) -> Preference:
    """Turn off what the token names; applying it again changes nothing."""
    preference, _ = Preference.objects.select_for_update().get_or_create(user=unsubscribe.user)
    if unsubscribe.is_all:
        if preference.email_enabled:
            preference.email_enabled = False
            preference.save(update_fields=["email_enabled", "updated_at"])
    elif unsubscribe.scope not in preference.muted_kinds:
        # The row is locked: two clicks on two links at once both land in the array.
        preference.muted_kinds = [*preference.muted_kinds, unsubscribe.scope]
        preference.save(update_fields=["muted_kinds", "updated_at"])
    return preference
