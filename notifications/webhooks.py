"""Employer webhooks: which URLs may receive events, and the verbs that set one up.

URL rules
    * ``https`` only. Outside production, plain ``http`` is allowed to a loopback host
      (``localhost``, 127.0.0.0/8, ``::1``) so that development and the tests can use a
      receiver on the same machine.
    * No user name or password in the URL: the receiver checks the signature instead
      (and the URL is shown to every member of the employer).
    * In production every address the host resolves to must be public: private,
      loopback, link-local (cloud metadata at 169.254.169.254), multicast, reserved,
      unspecified and shared (100.64.0.0/10) addresses are refused, also when they hide
      inside an IPv6 address (IPv4-mapped, 6to4, NAT64). Otherwise anyone who may set a
      URL could make our workers call the inside of our network.
    * The rules run when the URL is saved and again before every send, because DNS
      answers can change; the sender then connects to an address it checked (see
      ``notifications.channels.webhook``), so a second lookup cannot swap it.

Who may call these verbs (an owner of the employer) is the API's business: this app
may not import ``vacancies`` (the house plan), so ``employer_id`` arrives checked.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Channel, Delivery, WebhookEndpoint
from notifications.services import notify_employer

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

URL_MAX_LENGTH = 500  # WebhookEndpoint.url
SECRET_BYTES = 32  # 64 hex characters: WebhookEndpoint.secret
PING = "ping"
# config/exceptions.py answers a ValidationError with this code 409 Conflict.
CONFLICT = "conflict"

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")


class UnsafeWebhookURL(ValueError):
    """The URL may not receive webhooks; the message says why, to the person who set it."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook URL, split into what the sender needs."""

    url: httpx.URL
    host: str  # ASCII (IDNA-encoded) name, or an IP literal without brackets
    port: int

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    def url_at(self, address: IPAddress) -> httpx.URL:
        """The same URL with the host replaced by one of its checked addresses."""
        return self.url.copy_with(host=str(address))


def _is_production(production: bool | None) -> bool:
    return bool(settings.PRODUCTION) if production is None else production


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(address: IPAddress) -> bool:
    """Whether a webhook may be sent to this address in production."""
    inner = _embedded_ipv4(address)
    if inner is not None and not address_is_public(inner):
        return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED)
        or not address.is_global
    )


def addresses_check(addresses: Iterable[IPAddress], *, host: str) -> None:
    """Refuse the host if any of its addresses is not public (production rule)."""
    for address in addresses:
        if not address_is_public(address):
            raise UnsafeWebhookURL(
                _("%(host)s leads to %(address)s, which is not a public address.")
                % {"host": host, "address": address}
            )


def webhook_target(url: str, *, production: bool | None = None) -> WebhookTarget:
    """Check everything about the URL that needs no DNS lookup; the parts to send to."""
    production = _is_production(production)
    if len(url) > URL_MAX_LENGTH:
        raise UnsafeWebhookURL(
            _("Use an address of at most %(limit)d characters.") % {"limit": URL_MAX_LENGTH}
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (ValidationError, httpx.InvalidURL, UnicodeError) as exc:
        raise UnsafeWebhookURL(_("Enter a valid https:// address.")) from exc
    if parsed.userinfo:
        raise UnsafeWebhookURL(
            _("Leave the user name and password out of the address; check the signature.")
        )
    literal = _ip_literal(host)
    if parsed.scheme != "https":
        loopback = host == "localhost" or (literal is not None and literal.is_loopback)
        if production or not loopback:
            raise UnsafeWebhookURL(_("Use an https:// address."))
    if production and literal is not None:
        addresses_check([literal], host=host)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return WebhookTarget(url=parsed, host=host, port=port)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order, without repeats.
    Raises ``socket.gaierror`` when it does not resolve."""
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        address = ipaddress.ip_address(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def webhook_url_check(url: str, *, production: bool | None = None) -> WebhookTarget:
    """All the URL rules, with the DNS lookup in production; raises ``UnsafeWebhookURL``."""
    production = _is_production(production)
    target = webhook_target(url, production=production)
    if production:
        try:
            addresses = resolve(target.host, target.port)
        except (socket.gaierror, UnicodeError) as exc:
            raise UnsafeWebhookURL(
                _("%(host)s could not be found.") % {"host": target.host}
            ) from exc
        addresses_check(addresses, host=target.host)
    return target


# --- Reads ------------------------------------------------------------------------


def webhook_endpoint_of(*, employer_id: int) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(employer_id=employer_id).first()


def webhook_deliveries(*, employer_id: int) -> QuerySet[Delivery]:
    """The employer's webhook deliveries, newest first (the delivery log)."""
    return (
        Delivery.objects.filter(channel=Channel.WEBHOOK, endpoint__employer_id=employer_id)
        .defer("payload")
        .order_by("-created_at", "-id")
    )


# --- Verbs ------------------------------------------------------------------------


def _new_secret() -> str:
    return secrets.token_hex(SECRET_BYTES)


def _no_webhook() -> ValidationError:
    return ValidationError(_("This employer has no webhook; set its URL first."), code=CONFLICT)


def webhook_endpoint_set(
    *, employer_id: int, url: str, by: User, active: bool = True
) -> WebhookEndpoint:
    """Create the employer's webhook (with a new secret) or change its URL and switch.
    A URL the rules refuse is a ``ValidationError`` on ``url``."""
    url = url.strip()
    try:
        # Before the transaction: a DNS lookup may take seconds.
        webhook_url_check(url)
    except UnsafeWebhookURL as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
    with transaction.atomic():
        endpoint, created = WebhookEndpoint.objects.select_for_update().get_or_create(
            employer_id=employer_id,
            defaults={"url": url, "active": active, "secret": _new_secret()},
        )
        if not created and (endpoint.url, endpoint.active) != (url, active):
            endpoint.url, endpoint.active = url, active
            endpoint.save(update_fields=["url", "active", "updated_at"])
    log.info(
        "webhook of employer %s %s by user %s",
        employer_id,
        "created" if created else "set",
        by.pk,
    )
    return endpoint


def webhook_secret_rotate(*, employer_id: int, by: User) -> WebhookEndpoint:
    """A new signing secret, used from the next send on (retries included)."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(employer_id=employer_id)
        found = endpoint.first()
        if found is None:
            raise _no_webhook()
        found.secret = _new_secret()
        found.save(update_fields=["secret", "updated_at"])
    log.info("webhook secret of employer %s rotated by user %s", employer_id, by.pk)
    return found


def webhook_endpoint_delete(*, employer_id: int, by: User) -> bool:
    """Remove the employer's webhook, its delivery log and what was still to be sent;
    whether there was one."""
    deleted, _counts = WebhookEndpoint.objects.filter(employer_id=employer_id).delete()
    if deleted:
        log.info("webhook of employer %s deleted by user %s", employer_id, by.pk)
    return bool(deleted)


@transaction.atomic
def webhook_test_send(*, employer_id: int, by: User | None = None) -> Delivery:
    """Send a ``ping`` event through the ordinary way, so it shows in the delivery log."""
    endpoint = webhook_endpoint_of(employer_id=employer_id)
    if endpoint is None:
        raise _no_webhook()
    delivery = notify_employer(
        employer_id=employer_id,
        event_type=PING,
        key=f"{PING}:{uuid.uuid4().hex}",
        payload={"employer": employer_id, "message": "A test event from Borderless."},
    )
    if delivery is None:  # notify_employer sends only to an active endpoint
        raise ValidationError(
            _("The webhook is switched off; switch it on to send a test."), code=CONFLICT
        )
    log.info(
        "test event to the webhook of employer %s by user %s",
        employer_id,
        by.pk if by is not None else None,
    )
    return delivery
