"""The verbs of accounts: register, authenticate, issue and revoke API tokens."""

from __future__ import annotations

from datetime import datetime

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.models import SELF_SERVICE_ROLES, Role, User


class LoginLocked(Exception):
    """Too many wrong passwords for this e-mail from this address; wait for the cool-off."""


class InvalidCredentials(Exception):
    """The e-mail and password do not match an active account."""


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    role: str,
    full_name: str = "",
    preferred_language: str = "en",
) -> User:
    """Create a self-service account (a job seeker or an employer member).

    Reviewers and administrators are made by an administrator, never by sign-up.
    """
    if role not in SELF_SERVICE_ROLES:
        raise ValidationError({"role": _("Choose job seeker or employer.")})
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(
        email=email, role=Role(role), full_name=full_name, preferred_language=preferred_language
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two sign-ups with the same address at once
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")}
        ) from exc
    return user


def user_authenticate(*, request: HttpRequest, email: str, password: str) -> User:
    """Check a password, counting failures per (e-mail, address) for the lockout."""
    try:
        user = authenticate(request=request, username=email.strip().lower(), password=password)
    except AxesBackendPermissionDenied as exc:
        raise LoginLocked from exc
    if getattr(request, "axes_locked_out", False):
        raise LoginLocked
    if user is None or not isinstance(user, User) or not user.is_active:
        raise InvalidCredentials
    return user


def token_issue(*, user: User) -> tuple[str, datetime | None]:
    """Issue an API token; only its digest is stored, the caller sees the token once."""
    instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of the user's tokens by its public key (first characters)."""
    deleted: int = AuthToken.objects.filter(user=user, token_key=token_key).delete()[0]
    return deleted > 0


def token_revoke_all(*, user: User) -> int:
    deleted: int = AuthToken.objects.filter(user=user).delete()[0]
    return deleted


def user_update_preferences(
    *, user: User, full_name: str | None, preferred_language: str | None
) -> User:
    fields: list[str] = []
    if full_name is not None:
        user.full_name = full_name
        fields.append("full_name")
    if preferred_language is not None:
        user.preferred_language = preferred_language
        fields.append("preferred_language")
    if fields:
        user.full_clean(exclude=["password"])
        user.save(update_fields=fields)
    return user
