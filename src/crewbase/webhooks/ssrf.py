"""Keeping webhook requests away from the inside of the network (SSRF).

A receiver URL may not point at a private, loopback, link-local, multicast or otherwise
reserved address: not when it is registered (a literal address or a local name), and not
when an event is delivered (every address the name resolves to, checked right before the
request). CREWBASE_WEBHOOK_ALLOW_PRIVATE=1 lifts the rule for tests and local development.

Left over: the HTTP client resolves the name again when it connects, so a DNS server that
answers differently within that instant (DNS rebinding) is not stopped here; an egress
firewall is the complete answer (docs/webhooks.md).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain")


class BlockedAddress(Exception):
    """The receiver resolves to an address webhooks may not reach."""


def private_allowed() -> bool:
    configured = getattr(settings, "CREWBASE_WEBHOOK_ALLOW_PRIVATE", None)
    if configured is not None:
        return bool(configured)
    return os.environ.get("CREWBASE_WEBHOOK_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes")


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def registration_problem(url: str) -> str | None:
    """Why this URL may not be registered, judged without DNS (names are checked at delivery)."""
    if private_allowed():
        return None
    host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and _forbidden(host):
        return gettext("must not point at a private, loopback or link-local address")
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return gettext("must not point at a local host name")
    return None


def check_before_sending(url: str) -> None:
    """Resolve the receiver's name and refuse if any address it gives is not public."""
    if private_allowed():
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise ConnectionError(f"cannot resolve {host}: {exc}") from None
    blocked = sorted({info[4][0] for info in infos if _forbidden(info[4][0])})
    if blocked:
        raise BlockedAddress(f"{host} resolves to a non-public address ({', '.join(blocked)})")
