"""One POST to a receiver, sent to the address ssrf.py checked rather than to the name.

An HTTP client given the URL would resolve the name again when it connects, and a DNS server
may answer differently that second time (DNS rebinding). Here the connection goes to the
checked address, while the Host header, TLS server name and certificate check still use the
receiver's name, so the receiver sees an ordinary request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import certifi
import urllib3

from crewbase.webhooks import ssrf

DEFAULT_PORTS = {"http": 80, "https": 443}


class NoResponse(ConnectionError):
    """The receiver could not be reached or did not answer in time."""


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body`; the receiver's HTTP status. Redirects are not followed."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    default_port = DEFAULT_PORTS[parts.scheme]
    port = parts.port or default_port
    address = ssrf.checked_address(host, port)
    name = f"[{host}]" if ":" in host else host
    host_header = name if port == default_port else f"{name}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    try:
        with pool:
            response = pool.urlopen(
                "POST", path, body=body, headers={**headers, "Host": host_header}, redirect=False
            )
    except urllib3.exceptions.HTTPError as exc:
        raise NoResponse(f"no response: {type(exc).__name__}") from None
    return response.status
