"""Role checks of the matching API."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User


class IsEmployerMember(BasePermission):
    """An owner or recruiter of an employer."""

    message = "Only the members of an employer search candidates."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_authenticated
            and user.is_employer_member
            and user.employer_memberships.exists()
        )
