"""Reading the development mailbox: the .eml files written when no SMTP server is configured."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from crewbase.core.mail import mailbox_dir

_FILE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,160}\.eml$")


@dataclass(frozen=True)
class MailboxMessage:
    name: str
    subject: str
    to: str
    sender: str
    date: datetime
    body: str


def _read(path) -> MailboxMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = parsed.get_body(preferencelist=("plain", "html"))
    try:
        date = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        date = None
    return MailboxMessage(
        name=path.name,
        subject=str(parsed["Subject"] or ""),
        to=str(parsed["To"] or ""),
        sender=str(parsed["From"] or ""),
        date=date or datetime.fromtimestamp(path.stat().st_mtime, tz=UTC),
        body=part.get_content() if part is not None else "",
    )


def list_messages(limit: int = 200) -> list[MailboxMessage]:
    """Newest first."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [_read(path) for path in paths[:limit]]


def get_message(name: str) -> MailboxMessage | None:
    """The message stored under `name`, or None; names outside the mailbox are refused."""
    if not _FILE_NAME.match(name or ""):
        return None
    path = mailbox_dir() / name
    return _read(path) if path.is_file() else None
