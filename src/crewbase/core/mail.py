"""Where mail really goes: an SMTP server named by SMTP_URL, or, without one, .eml files in the
development mailbox (DEV_MAILBOX_DIR, readable at /dev/mailbox/).

Only the outbox worker sends (core/delivery.py). Django's EMAIL_BACKEND points at
OutboxOnlyBackend so that any stray `send_mail()` also lands in the outbox instead of
bypassing it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.db import transaction

from crewbase.core.outbox import queue_email

SMTP_SCHEMES = {
    # scheme: (default port, STARTTLS, implicit TLS)
    "smtp": (25, False, False),
    "smtp+starttls": (587, True, False),
    "smtps": (465, False, True),
}
DEFAULT_SMTP_TIMEOUT = 30
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class SmtpUrlError(ValueError):
    """SMTP_URL cannot be understood; the message says which part and why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    use_ssl: bool
    timeout: float


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp://user:pass@host:port`, `smtp+starttls://…` or `smtps://…`; `?timeout=N` optional."""
    try:
        parts = urlsplit(url.strip())
        port_given = parts.port
    except ValueError as exc:
        raise SmtpUrlError(f"SMTP_URL is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SMTP_SCHEMES:
        raise SmtpUrlError(
            f"SMTP_URL scheme {scheme!r} is not supported; use one of {', '.join(SMTP_SCHEMES)}"
        )
    if not parts.hostname:
        raise SmtpUrlError("SMTP_URL has no host name")
    default_port, use_tls, use_ssl = SMTP_SCHEMES[scheme]
    timeout = float(DEFAULT_SMTP_TIMEOUT)
    for pair in filter(None, parts.query.split("&")):
        name, _, value = pair.partition("=")
        if name == "timeout":
            try:
                timeout = float(value)
            except ValueError:
                raise SmtpUrlError(f"SMTP_URL timeout {value!r} is not a number") from None
    return SmtpSettings(
        host=parts.hostname,
        port=port_given or default_port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=timeout,
    )


def smtp_configured() -> bool:
    return bool(getattr(settings, "SMTP_URL", ""))


def dev_mailbox_enabled() -> bool:
    """The development mailbox exists only when mail is not really sent."""
    return not smtp_configured() and getattr(settings, "DEV_MAILBOX_ENABLED", True)


def mailbox_dir() -> Path:
    return Path(settings.DEV_MAILBOX_DIR)


def mailbox_file_name(message_key: str) -> str:
    # One file per outbox row: a repeated delivery overwrites the same file, never adds one.
    return f"{_SAFE_NAME.sub('_', message_key)[:150]}.eml"


class DevMailboxBackend(BaseEmailBackend):
    """Writes each message as `<key>.eml` in DEV_MAILBOX_DIR."""

    def send_messages(self, email_messages) -> int:
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            key = message.extra_headers.get("X-Crewbase-Key") or message.extra_headers.get(
                "Message-ID", "message"
            )
            target = folder / mailbox_file_name(key.strip("<>"))
            temporary = target.with_suffix(".tmp")
            temporary.write_bytes(message.message().as_bytes(linesep="\n"))
            temporary.replace(target)  # atomic: the mailbox never lists half a message
        return len(email_messages)


def delivery_backend() -> BaseEmailBackend:
    """A fresh connection to wherever mail goes now (settings are read on every call)."""
    if smtp_configured():
        smtp = parse_smtp_url(settings.SMTP_URL)
        return SmtpEmailBackend(
            host=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password or None,
            use_tls=smtp.use_tls,
            use_ssl=smtp.use_ssl,
            timeout=smtp.timeout,
            fail_silently=False,
        )
    return DevMailboxBackend(fail_silently=False)


def queue_prerendered(*, to: str, subject: str, body: str, key_prefix: str, account=None) -> None:
    """Put an already rendered message into the outbox, in the caller's transaction."""
    with transaction.atomic():
        queue_email(
            account=account,
            to=to,
            template="rendered",
            context={"subject": subject, "body": body},
            key=f"{_SAFE_NAME.sub('-', key_prefix)[:60]}-{uuid.uuid4().hex}",
        )


class OutboxOnlyBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND: whatever calls `send_mail()` is queued in the outbox."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            for recipient in message.recipients():
                queue_prerendered(
                    to=recipient, subject=message.subject, body=message.body, key_prefix="mail"
                )
                queued += 1
        return queued
