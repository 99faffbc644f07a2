"""Who may use the seeker's own endpoints. Visibility of rows is the querysets' job
(another seeker's row is a 404); this class answers 403 to other roles."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User


class IsSeeker(BasePermission):
    """A job seeker's account: employers, reviewers and administrators have no profile."""

    message = "Only a job seeker's account has a profile."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_authenticated and user.is_seeker
