"""Employer webhooks: signed events to a real receiver on 127.0.0.1, what its answers
do to the delivery, the URL rules, and /api/v1/employers/{id}/webhook/."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from notifications import webhooks
from notifications.channels import webhook as channel
from notifications.delivery import delivery_process
from notifications.models import Delivery, WebhookEndpoint
from notifications.services import notify_employer
from vacancies.models import Employer

pytestmark = pytest.mark.django_db

SLOW = "slow"  # an answer that comes after the sender's time-out


@dataclass
class Receiver:
    """A real HTTP server that records each request and answers from a script."""

    url: str
    answers: deque[int | str] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def script(self, *answers: int | str) -> None:
        with self.lock:
            self.answers.extend(answers)

    def next_answer(self) -> int | str:
        with self.lock:
            return self.answers.popleft() if self.answers else 200

    def record(self, request: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append(request)

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.requests)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            hooks.record({"path": self.path, "headers": dict(self.headers), "body": body})
            answer = hooks.next_answer()
            if answer == SLOW:
                hooks.release.wait(timeout=channel.TIMEOUT + 2)
                answer = 200
            try:
                self.send_response(int(answer))
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sender gave up waiting and hung up
                return

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hooks = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        hooks.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, Any]]:
    """The retries delivery.py schedules, instead of sending them to the broker."""
    scheduled: list[tuple[int, Any]] = []

    def dispatch(delivery_id: int, *, eta: Any = None) -> bool:
        scheduled.append((delivery_id, eta))
        return True

    monkeypatch.setattr("notifications.services.dispatch", dispatch)
    return scheduled


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (the snippet in notifications/channels/webhook.py)."""
    timestamp = headers["Borderless-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    given = [
        part.strip()[3:]
        for part in headers["Borderless-Signature"].split(",")
        if part.strip().startswith("v1=")
    ]
    return any(hmac.compare_digest(expected, signature) for signature in given)


def hook_for(employer: Employer, owner: User, url: str) -> WebhookEndpoint:
    return webhooks.webhook_endpoint_set(employer_id=employer.pk, url=url, by=owner)


def an_event(employer: Employer, key: str = "application:7:received") -> Delivery:
    delivery = notify_employer(
        employer_id=employer.pk,
        event_type="application.received",
        key=key,
        payload={"application": 7, "vacancy": 42, "note": "Сварщик"},
    )
    assert delivery is not None
    return delivery


def make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


# --- Sending ----------------------------------------------------------------------


def test_an_event_arrives_signed_with_the_endpoints_secret(
    employer: Employer, owner: User, receiver: Receiver
):
    endpoint = hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)

    assert delivery_process(delivery.pk) == "sent"

    [request] = receiver.received()
    headers, body = request["headers"], request["body"]
    assert verify(endpoint.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert not verify(endpoint.secret, headers, body + b" ")
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Borderless-Webhooks/1"
    event = json.loads(body)
    assert event["id"] == headers["Borderless-Event-Id"] == channel.event_id(delivery)
    assert event["type"] == "application.received"
    assert event["data"] == {"application": 7, "vacancy": 42, "note": "Сварщик"}
    assert event["created"].startswith(delivery.created_at.date().isoformat())
    assert request["path"] == "/hooks"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 1)
    assert delivery.sent_at is not None


def test_a_500_is_tried_again_later_and_a_200_then_marks_it_sent(
    employer: Employer, owner: User, receiver: Receiver, retries: list[tuple[int, Any]]
):
    endpoint = hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    receiver.script(500, 200)

    assert delivery_process(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.next_attempt_at > timezone.now()
    assert (delivery.response_code, delivery.attempts) == (500, 1)
    assert "HTTP 500" in delivery.last_error
    assert retries == [(delivery.pk, delivery.next_attempt_at)]
    assert delivery_process(delivery.pk) == "not due, taken or done"

    make_due(delivery)
    assert delivery_process(delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 2)
    assert delivery.last_error == ""
    first, second = receiver.received()
    # The same event both times: same id and body, each try signed afresh.
    assert first["body"] == second["body"]
    assert first["headers"]["Borderless-Event-Id"] == second["headers"]["Borderless-Event-Id"]
    assert verify(endpoint.secret, second["headers"], second["body"])


def test_a_404_fails_the_delivery_for_good(
    employer: Employer, owner: User, receiver: Receiver, retries: list[tuple[int, Any]]
):
    hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    receiver.script(404)

    assert delivery_process(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code) == ("failed", 404)
    assert "HTTP 404" in delivery.last_error
    make_due(delivery)
    assert delivery_process(delivery.pk) == "not due, taken or done"
    assert len(receiver.received()) == 1
    assert retries == []


def test_a_redirect_is_not_followed_and_fails_the_delivery(
    employer: Employer, owner: User, receiver: Receiver
):
    hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    receiver.script(302)

    assert delivery_process(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.response_code == 302
    assert "redirects are not followed" in delivery.last_error


def test_a_429_is_tried_again(
    employer: Employer, owner: User, receiver: Receiver, retries: list[tuple[int, Any]]
):
    hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    receiver.script(429)

    assert delivery_process(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code) == ("pending", 429)


def test_a_slow_receiver_times_out_and_is_tried_again_without_holding_the_next_send(
    employer: Employer, owner: User, receiver: Receiver, retries: list[tuple[int, Any]]
):
    hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    receiver.script(SLOW, 200)

    assert delivery_process(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.next_attempt_at > timezone.now()
    assert delivery.response_code is None
    assert "no answer within 5 s" in delivery.last_error
    # The slow answer is still pending on the receiver; the next try goes through.
    make_due(delivery)
    assert delivery_process(delivery.pk) == "sent"
    assert len(receiver.received()) == 2


def test_a_receiver_that_is_down_is_tried_again(
    employer: Employer, owner: User, retries: list[tuple[int, Any]]
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    hook_for(employer, owner, f"http://127.0.0.1:{port}/hooks")
    delivery = an_event(employer)

    assert delivery_process(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert "could not reach 127.0.0.1" in delivery.last_error


def test_a_host_name_is_sent_to_each_of_its_addresses_in_turn(
    employer: Employer, owner: User, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "localhost":  # ::1 first, where nobody listens
            v6 = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))
            return [v6, *real_getaddrinfo("127.0.0.1", *args, **kwargs)]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    hook_for(employer, owner, f"http://localhost:{port}/hooks")
    delivery = an_event(employer)

    assert delivery_process(delivery.pk) == "sent"
    [request] = receiver.received()
    assert request["headers"]["Host"] == f"localhost:{port}"


def test_an_inactive_endpoint_fails_the_delivery_unsent(
    employer: Employer, owner: User, receiver: Receiver
):
    endpoint = hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)

    assert delivery_process(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert "switched off" in delivery.last_error
    assert receiver.received() == []


def test_an_inactive_endpoint_gets_no_new_events(employer: Employer, owner: User):
    webhooks.webhook_endpoint_set(
        employer_id=employer.pk, url="https://hooks.example.kz/in", by=owner, active=False
    )
    assert notify_employer(employer_id=employer.pk, event_type="x", key="k", payload={}) is None


def test_the_request_goes_to_the_checked_address_under_the_hosts_name():
    target = webhooks.webhook_target("https://hooks.example.kz:8443/in?v=1", production=True)

    request = channel.request_for(
        target, ipaddress.ip_address("93.184.215.14"), body=b"{}", headers={}
    )
    v6 = channel.request_for(
        target, ipaddress.ip_address("2606:2800:21f:cb07::1"), body=b"{}", headers={}
    )

    assert str(request.url) == "https://93.184.215.14:8443/in?v=1"
    assert request.headers["Host"] == "hooks.example.kz:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.kz"
    assert str(v6.url) == "https://[2606:2800:21f:cb07::1]:8443/in?v=1"


# --- URL rules --------------------------------------------------------------------


def _resolving(monkeypatch: pytest.MonkeyPatch, table: dict[str, str]) -> None:
    """Answer DNS lookups of the names in ``table`` with the address given."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real_getaddrinfo(table.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.kz/in",
        "http://127.0.0.1:8000/in",
        "https://10.0.0.1/in",
        "https://127.0.0.1/in",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/in",
        "https://[::ffff:10.0.0.1]/in",
        "https://[fe80::1]/in",
        "https://100.64.0.1/in",
        "https://224.0.0.1/in",
        "https://240.0.0.1/in",
        "https://0.0.0.0/in",
        "https://internal.example.kz/in",
        "https://rebound.example.kz/in",
        "https://user:password@hooks.example.kz/in",
        "https://no-such-host.invalid/in",
        "ftp://hooks.example.kz/in",
        "not a url",
    ],
)
def test_production_refuses_urls_that_lead_inside(url: str, monkeypatch: pytest.MonkeyPatch):
    _resolving(monkeypatch, {"internal.example.kz": "192.168.1.5", "rebound.example.kz": "::1"})
    with pytest.raises(webhooks.UnsafeWebhookURL):
        webhooks.webhook_url_check(url, production=True)


@pytest.mark.parametrize(
    "url",
    ["https://93.184.215.14/in", "https://hooks.example.kz:8443/borderless?token=1"],
)
def test_production_allows_a_public_https_address(url: str, monkeypatch: pytest.MonkeyPatch):
    _resolving(monkeypatch, {"hooks.example.kz": "93.184.215.14"})
    target = webhooks.webhook_url_check(url, production=True)
    assert target.url.scheme == "https"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8000/in", True),
        ("http://localhost:8000/in", True),
        ("http://[::1]:8000/in", True),
        ("https://10.0.0.1/in", True),
        ("http://hooks.example.kz/in", False),
        ("http://10.0.0.1/in", False),
    ],
)
def test_outside_production_plain_http_reaches_only_this_machine(url: str, allowed: bool):
    if allowed:
        webhooks.webhook_url_check(url, production=False)
    else:
        with pytest.raises(webhooks.UnsafeWebhookURL, match="https"):
            webhooks.webhook_url_check(url, production=False)


def test_a_host_that_now_resolves_inside_is_refused_at_send_time(
    employer: Employer, owner: User, settings: Any, monkeypatch: pytest.MonkeyPatch
):
    settings.PRODUCTION = True
    _resolving(monkeypatch, {"hooks.example.kz": "93.184.215.14"})
    hook_for(employer, owner, "https://hooks.example.kz/in")
    delivery = an_event(employer)
    _resolving(monkeypatch, {"hooks.example.kz": "10.0.0.7"})

    assert delivery_process(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert "10.0.0.7" in delivery.last_error
    assert "not a public address" in delivery.last_error


def test_a_url_saved_outside_production_is_refused_by_production(
    employer: Employer, owner: User, receiver: Receiver, settings: Any
):
    hook_for(employer, owner, receiver.url)
    delivery = an_event(employer)
    settings.PRODUCTION = True

    assert delivery_process(delivery.pk) == "failed"
    assert receiver.received() == []


# --- Services ---------------------------------------------------------------------


def test_setting_a_url_keeps_the_secret_and_rotating_replaces_it(employer: Employer, owner: User):
    created = hook_for(employer, owner, "https://hooks.example.kz/a")
    assert len(created.secret) == 64

    changed = hook_for(employer, owner, "https://hooks.example.kz/b")
    rotated = webhooks.webhook_secret_rotate(employer_id=employer.pk, by=owner)

    assert changed.pk == created.pk and changed.secret == created.secret
    assert rotated.secret != created.secret
    assert WebhookEndpoint.objects.get(employer_id=employer.pk).url == "https://hooks.example.kz/b"


# --- The API ----------------------------------------------------------------------


def webhook_url(employer: Employer, suffix: str = "") -> str:
    return f"/api/v1/employers/{employer.pk}/webhook/{suffix}"


def test_an_owner_sets_the_url_and_sees_the_secret(api: APIClient, employer: Employer, owner: User):
    api.force_authenticate(owner)

    response = api.put(webhook_url(employer), {"url": "https://hooks.example.kz/in"})

    assert response.status_code == 200, response.content
    endpoint = WebhookEndpoint.objects.get(employer_id=employer.pk)
    assert response.json()["url"] == endpoint.url == "https://hooks.example.kz/in"
    assert response.json()["secret"] == endpoint.secret
    assert response.json()["active"] is True
    assert api.get(webhook_url(employer)).json()["secret"] == endpoint.secret


def test_a_recruiter_sees_the_url_but_neither_sets_it_nor_sees_the_secret(
    api: APIClient, employer: Employer, owner: User, recruiter: User
):
    hook_for(employer, owner, "https://hooks.example.kz/in")
    api.force_authenticate(recruiter)

    seen = api.get(webhook_url(employer))
    put = api.put(webhook_url(employer), {"url": "https://evil.example.com/in"})
    rotate = api.post(webhook_url(employer, "rotate-secret/"))
    delete = api.delete(webhook_url(employer))

    assert seen.status_code == 200
    assert seen.json()["url"] == "https://hooks.example.kz/in"
    assert seen.json()["secret"] is None
    assert (put.status_code, rotate.status_code, delete.status_code) == (403, 403, 403)
    assert WebhookEndpoint.objects.get(employer_id=employer.pk).url == "https://hooks.example.kz/in"


def test_another_employers_webhook_is_not_found(
    api: APIClient, employer: Employer, owner: User, rival: User
):
    hook_for(employer, owner, "https://hooks.example.kz/in")
    api.force_authenticate(rival)

    assert api.get(webhook_url(employer)).status_code == 404
    assert api.put(webhook_url(employer), {"url": "https://x.example.com/"}).status_code == 404
    assert api.get(webhook_url(employer, "deliveries/")).status_code == 404
    assert api.post(webhook_url(employer, "test/")).status_code == 404


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.kz/in", "https"),
        ("https://user:secret@hooks.example.kz/in", "password"),
        ("not a url", "valid URL"),
    ],
)
def test_a_bad_url_is_a_400_on_the_url_field(
    api: APIClient, employer: Employer, owner: User, url: str, message: str
):
    api.force_authenticate(owner)

    response = api.put(webhook_url(employer), {"url": url})

    assert response.status_code == 400
    assert message in response.json()["url"][0]
    assert not WebhookEndpoint.objects.filter(employer_id=employer.pk).exists()


def test_the_test_ping_shows_in_the_delivery_log(
    api: APIClient, employer: Employer, owner: User, recruiter: User, receiver: Receiver
):
    hook_for(employer, owner, receiver.url)
    api.force_authenticate(recruiter)

    sent = api.post(webhook_url(employer, "test/"))
    assert sent.status_code == 202, sent.content
    assert delivery_process(sent.json()["id"]) == "sent"
    log = api.get(webhook_url(employer, "deliveries/"))

    assert log.status_code == 200
    [row] = log.json()["results"]
    assert row["event_type"] == "ping"
    assert (row["status"], row["response_code"], row["attempts"]) == ("sent", 200, 1)
    [request] = receiver.received()
    assert row["event_id"] == request["headers"]["Borderless-Event-Id"]
    assert json.loads(request["body"])["type"] == "ping"


def test_the_delivery_log_is_newest_first_and_paged(
    api: APIClient, employer: Employer, owner: User
):
    hook_for(employer, owner, "https://hooks.example.kz/in")
    for n in range(3):
        an_event(employer, key=f"event:{n}")
    api.force_authenticate(owner)

    first = api.get(webhook_url(employer, "deliveries/"), {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    keys = [row["id"] for row in first["results"] + second["results"]]
    assert keys == sorted(keys, reverse=True) and len(keys) == 3


def test_a_test_needs_a_webhook_that_is_on(api: APIClient, employer: Employer, owner: User):
    api.force_authenticate(owner)
    assert api.post(webhook_url(employer, "test/")).status_code == 409

    api.put(webhook_url(employer), {"url": "https://hooks.example.kz/in", "active": False})
    assert api.post(webhook_url(employer, "test/")).status_code == 409


def test_an_owner_rotates_the_secret_and_deletes_the_webhook(
    api: APIClient, employer: Employer, owner: User
):
    old = hook_for(employer, owner, "https://hooks.example.kz/in").secret
    an_event(employer)
    api.force_authenticate(owner)

    rotated = api.post(webhook_url(employer, "rotate-secret/"))
    deleted = api.delete(webhook_url(employer))

    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (None, old)
    assert deleted.status_code == 204
    assert api.get(webhook_url(employer)).json() == {
        "url": None,
        "active": False,
        "secret": None,
        "created_at": None,
        "updated_at": None,
    }
    assert not Delivery.objects.filter(channel="webhook").exists()
