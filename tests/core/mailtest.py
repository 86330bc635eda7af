"""A real SMTP server (aiosmtpd) on 127.0.0.1, on a port the OS picks, for delivery tests."""

from __future__ import annotations

import email
import email.policy
import io
import re
import socket
import threading
import time
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django.core.management import call_command

LINK = re.compile(r"https?://[^\s<>\"]+")


class Inbox:
    """What the server received, in order."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, count: int, deadline_seconds: float = 20.0) -> list[EmailMessage]:
        """Block until `count` messages arrived (a deadline against hangs, not a speed check)."""
        end = time.monotonic() + deadline_seconds
        with self._arrived:
            while len(self.messages) < count:
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} messages, got {len(self.messages)}")
                self._arrived.wait(left)
        return list(self.messages)


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def only_link(message: EmailMessage) -> str:
    links = LINK.findall(body_text(message))
    assert len(links) == 1, links
    return links[0]


class _FreePortController(Controller):
    """aiosmtpd's Controller, told to bind port 0, learns the port the OS gave it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(port: int = 0):
    inbox = Inbox()
    controller = _FreePortController(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@contextmanager
def refused_port():
    """A port with nothing listening: bound, so nobody else takes it, but not accepting."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", 0))
    try:
        yield holder.getsockname()[1], holder
    finally:
        holder.close()


def run_worker_once() -> str:
    """`crewbase worker --once`, as cron would run it; returns what it printed."""
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()
