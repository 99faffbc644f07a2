"""The outside world for the delivery tests: an SMTP sink and an HTTP receiver, both
real servers on 127.0.0.1 that record what reached them."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    """What a sink got, in order; safe to read from the test's thread."""

    items: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: dict[str, Any]) -> None:
        with self.lock:
            self.items.append(item)

    def snapshot(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.items)

    def ids(self) -> list[str]:
        return [item["id"] for item in self.snapshot()]


class _Handler:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or b""
        parsed = message_from_bytes(content)
        self.received.add(
            {
                "id": parsed["Message-ID"],
                "to": list(envelope.rcpt_tos),
                "subject": parsed["Subject"],
                "message": parsed,
            }
        )
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, Received]]:
    """An SMTP server on a free port: (port, what it received)."""
    received = Received()
    # aiosmtpd checks its server by connecting to the port it was given: pick one first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_Handler(received), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@contextmanager
def http_receiver(status: int = 200) -> Iterator[tuple[str, Received]]:
    """An HTTP server on a free port answering ``status``: (URL, what it received)."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event_id = json.loads(body).get("id")
            except ValueError:
                event_id = None
            received.add({"id": event_id, "headers": dict(self.headers), "body": body})
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    finally:
        server.shutdown()
        server.server_close()
