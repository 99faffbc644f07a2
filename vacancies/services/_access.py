"""Who may act, and the error that says the state does not allow it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from vacancies.models import EmployerMember

# config/exceptions.py answers an error with this code 409 Conflict instead of 400.
CONFLICT = "conflict"


def conflict(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=CONFLICT)})


def member_role(*, employer_id: int, user: User) -> str | None:
    role: str | None = (
        EmployerMember.objects.filter(employer_id=employer_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )
    return role


def require_member(*, employer_id: int, by: User) -> None:
    if member_role(employer_id=employer_id, user=by) is None:
        raise PermissionDenied(_("Only a member of this employer may do this."))


def require_owner(*, employer_id: int, by: User) -> None:
    if member_role(employer_id=employer_id, user=by) != EmployerMember.Role.OWNER:
        raise PermissionDenied(_("Only an owner of this employer may do this."))


def already_a_member() -> ValidationError:
    return ValidationError(
        _("You already belong to an employer; leave it before joining another."), code=CONFLICT
    )
