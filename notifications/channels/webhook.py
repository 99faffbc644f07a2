"""Employer webhooks: one JSON event per delivery, POSTed and signed with HMAC-SHA256.

What the receiver gets::

    POST <the employer's URL>
    Content-Type: application/json
    User-Agent: Borderless-Webhooks/1
    Borderless-Event-Id: evt_3f1c…            (the same on every try of this event)
    Borderless-Timestamp: 1767225600          (unix seconds of this try)
    Borderless-Signature: v1=5d41…            (hex HMAC-SHA256, see below)

    {"created":"2026-11-23T13:13:00.123456+00:00","data":{…},"id":"evt_3f1c…","type":"…"}

The body is UTF-8 JSON with sorted keys, serialised once per try; ``id`` and
``created`` do not change between tries, so a receiver drops a repeat by ``id``.

How a receiver verifies a request:

1. Take the raw body bytes as received (before any JSON parsing) and the
   ``Borderless-Timestamp`` header; refuse a timestamp more than five minutes from
   the receiver's clock (a replayed request).
2. Compute ``hex(HMAC-SHA256(key=secret, message=timestamp + "." + body))``, where
   ``secret`` is the 64-character secret shown to the employer's owners, used as its
   ASCII bytes (it is not hex-decoded).
3. ``Borderless-Signature`` holds one or more comma-separated ``v1=<hex>`` values;
   accept the request when any of them equals the digest, compared in constant time
   (``hmac.compare_digest``). Unknown schemes (``v2=``…) are ignored.

Answers: any 2xx is delivered. 408, 429, 5xx, a time-out (5 s for the whole
exchange, DNS included) or a connection error is tried again with back-off for about
a day (``notifications.delivery``). A redirect (not followed) or any other 4xx stops
the delivery for good, as does an inactive endpoint or a URL the rules now refuse
(``notifications.webhooks``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from typing import Any

import httpx
from django.conf import settings

from notifications.delivery import PermanentFailure, TemporaryFailure
from notifications.models import Delivery
from notifications.webhooks import (
    IPAddress,
    UnsafeWebhookURL,
    WebhookTarget,
    addresses_check,
    resolve,
    webhook_target,
)

TIMEOUT = 5.0  # seconds for the whole exchange: DNS, connect, TLS, request, answer
USER_AGENT = "Borderless-Webhooks/1"
MAX_ADDRESSES = 3  # of a host's addresses, tried in turn while connections are refused
SIGNATURE_SCHEME = "v1"

# DNS lookups run here rather than in asyncio's default executor, which asyncio.run
# waits for on the way out: a resolver that hangs would outlast the time-out.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-dns")


def event_id(delivery: Delivery) -> str:
    """The event's public id: stable across tries, and it does not show our keys."""
    digest = hashlib.sha256(delivery.idempotency_key.encode()).hexdigest()
    return f"evt_{digest[:32]}"


def event_body(delivery: Delivery) -> bytes:
    event: dict[str, Any] = {
        "id": event_id(delivery),
        "type": delivery.event_type,
        "created": delivery.created_at.astimezone(UTC).isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Borderless-Signature`` value of a body sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"


def headers_for(delivery: Delivery, *, secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Borderless-Event-Id": event_id(delivery),
        "Borderless-Timestamp": str(timestamp),
        "Borderless-Signature": signature(secret, timestamp, body),
    }


def request_for(
    target: WebhookTarget, address: IPAddress, *, body: bytes, headers: dict[str, str]
) -> httpx.Request:
    """The POST to one checked address of the host. The URL names the address, so no
    second lookup can lead elsewhere; the Host header and the TLS server name (which
    the certificate is checked against) stay the host's."""
    return httpx.Request(
        "POST",
        target.url_at(address),
        content=body,
        headers={**headers, "Host": target.host_header},
        extensions={"sni_hostname": target.host},
    )


async def _addresses(target: WebhookTarget) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_resolver, resolve, target.host, target.port)


async def _post(
    target: WebhookTarget, *, body: bytes, headers: dict[str, str], production: bool
) -> httpx.Response:
    async with asyncio.timeout(TIMEOUT):
        addresses = await _addresses(target)
        if production:
            addresses_check(addresses, host=target.host)
        async with httpx.AsyncClient(
            timeout=TIMEOUT, follow_redirects=False, trust_env=False
        ) as client:
            refused: httpx.ConnectError | None = None
            for address in addresses[:MAX_ADDRESSES]:
                request = request_for(target, address, body=body, headers=headers)
                try:
                    # Only the status matters: the body is never read, so a receiver
                    # that answers slowly cannot hold the worker.
                    response = await client.send(request, stream=True)
                except httpx.ConnectError as exc:
                    refused = exc
                    continue
                await response.aclose()
                return response
            raise refused or httpx.ConnectError(f"{target.host} has no address")


def send(delivery: Delivery) -> int | None:
    endpoint = delivery.endpoint
    if endpoint is None:
        raise PermanentFailure("the webhook was removed")
    if not endpoint.active:
        raise PermanentFailure("the webhook is switched off")
    production = bool(settings.PRODUCTION)
    try:
        target = webhook_target(endpoint.url, production=production)
    except UnsafeWebhookURL as exc:
        raise PermanentFailure(f"the URL is refused: {exc}") from exc
    body = event_body(delivery)
    timestamp = int(time.time())
    headers = headers_for(delivery, secret=endpoint.secret, body=body, timestamp=timestamp)
    try:
        response = asyncio.run(_post(target, body=body, headers=headers, production=production))
    except UnsafeWebhookURL as exc:
        raise PermanentFailure(f"the URL is refused: {exc}") from exc
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise TemporaryFailure(f"no answer within {TIMEOUT:g} s") from exc
    except socket.gaierror as exc:
        raise TemporaryFailure(f"{target.host} could not be found: {exc}") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise PermanentFailure(f"the URL cannot be used: {exc}") from exc
    except (httpx.TransportError, OSError) as exc:
        raise TemporaryFailure(f"could not reach {target.host}: {exc}") from exc
    code = response.status_code
    answer = f"HTTP {code} {response.reason_phrase}".strip()
    if 200 <= code < 300:
        return code
    # 408 asks outright for another try; 429 and 5xx are the receiver's passing trouble.
    if code in (408, 429) or code >= 500:
        raise TemporaryFailure(answer, response_code=code)
    if 300 <= code < 400:
        raise PermanentFailure(
            f"{answer}: redirects are not followed; set the final URL", response_code=code
        )
    raise PermanentFailure(answer, response_code=code)
