"""One per-address budget for signing in, shared by the API and the sign-in page."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_ip import client_ip


class LoginThrottle(SimpleRateThrottle):
    """``login`` rate per client address (see ``accounts.client_ip``), whatever e-mail
    is tried: django-axes locks one e-mail from one address, this stops an address
    from trying many e-mails."""

    scope = "login"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow(self, request: HttpRequest) -> bool:
        # The page is no DRF view: the rate check reads only the cache key, made above.
        return bool(self.allow_request(cast(Any, request), cast(Any, None)))
