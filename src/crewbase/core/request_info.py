"""What we record about where a request came from."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For is trusted only behind a configured proxy."""
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "CREWBASE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
