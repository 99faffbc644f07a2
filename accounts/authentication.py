"""API authentication: knox tokens, answered in the account's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.request import Request


class TokenAuthentication(KnoxTokenAuthentication):  # type: ignore[misc] # knox has no types
    """A knox token; the account's language then holds for the rest of the request.

    ``UserLanguageMiddleware`` does this for session users, but a token is checked only
    inside the view, after every middleware ran. ``LocaleMiddleware`` resets the
    language at the start of the next request.
    """

    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is not None:
            language = getattr(result[0], "preferred_language", "")
            if language:
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result


class TokenScheme(KnoxTokenScheme):  # type: ignore[no-untyped-call] # the extension is untyped
    """Documents our token class as knox's ``Token`` scheme in the OpenAPI schema."""

    target_class = "accounts.authentication.TokenAuthentication"
