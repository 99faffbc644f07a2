"""The address a request comes from, the one rule every per-address limit uses.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only
as far as our own proxies wrote it: each trusted proxy appends the address it saw,
so with ``TRUSTED_PROXY_COUNT`` proxies in front of us the client is the entry that
many places from the right. Everything left of it came from the client and may be
forged. With no proxy (the default) the header is ignored and the socket's address
(``REMOTE_ADDR``) counts. DRF's throttles read the same setting (``NUM_PROXIES``), so
the sign-in lockout (django-axes) and the per-address throttles agree on who asks.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    candidate = addresses[-min(proxies, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Our proxy writes addresses; anything else did not come from it.
        return remote
