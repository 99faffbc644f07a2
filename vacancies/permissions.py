"""Who may act on employers and vacancies. Visibility is the querysets' job (someone
else's object is a 404); these classes answer 403 to a caller who can see an object
but not change it."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from vacancies.models import Employer, EmployerMember
from vacancies.selectors import is_platform_staff


def _user(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


class IsEmployerAccount(BasePermission):
    """An account on the employer side (it may register an employer)."""

    message = "Only an employer account may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _user(request)
        return user is not None and user.is_employer_member


class IsEmployerMember(BasePermission):
    """A member (owner or recruiter) of some employer: manages its vacancies."""

    message = "Only a member of an employer may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _user(request)
        return user is not None and EmployerMember.objects.filter(user=user).exists()


class IsEmployerOwner(BasePermission):
    """An owner of the employer in question: edits it, invites and removes members."""

    message = "Only an owner of this employer may do this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        user = _user(request)
        return (
            user is not None
            and isinstance(obj, Employer)
            and EmployerMember.objects.filter(
                employer=obj, user=user, role=EmployerMember.Role.OWNER
            ).exists()
        )


class IsPlatformStaff(BasePermission):
    """Reviewers and administrators."""

    message = "Only platform staff may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _user(request)
        return user is not None and is_platform_staff(user)
