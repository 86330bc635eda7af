"""Keeping webhook requests away from the inside of the network (SSRF).

A receiver URL may not point at a private, loopback, link-local, multicast or otherwise
reserved address: not when it is registered (a literal address or a local name), and not
when an event is delivered (every address the name resolves to, checked right before the
request). CREWBASE_WEBHOOK_ALLOW_PRIVATE=1 lifts the rule for tests and local development.

The name is resolved once per delivery and the request goes to the address that was checked
(transport.py), so a DNS server that answers differently the second time (DNS rebinding) has
no second time.
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


def checked_address(host: str, port: int) -> str:
    """The one address this delivery may connect to: the first the name resolves to, after
    every address it resolves to was found public (any private answer refuses the lot)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise ConnectionError(f"cannot resolve {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise ConnectionError(f"cannot resolve {host}: no address")
    if not private_allowed():
        blocked = sorted({address for address in addresses if _forbidden(address)})
        if blocked:
            raise BlockedAddress(f"{host} resolves to a non-public address ({', '.join(blocked)})")
    return addresses[0]


def check_before_sending(url: str) -> None:
    """Resolve the receiver's name and refuse if any address it gives is not public."""
    parts = urlsplit(url)
    checked_address(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
