"""The signature a receiver checks, and a reference receiver check (`verify`).

Crewbase-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the endpoint secret>.
A receiver refuses timestamps older or newer than REPLAY_WINDOW_SECONDS so a captured request
cannot be replayed later; it drops repeats of the same Crewbase-Event-Id.
"""

from __future__ import annotations

import hashlib
import hmac
import time

REPLAY_WINDOW_SECONDS = 300
SIGNATURE_HEADER = "Crewbase-Signature"
TIMESTAMP_HEADER = "Crewbase-Timestamp"
EVENT_ID_HEADER = "Crewbase-Event-Id"


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(secret: str, event_id: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(secret: str, headers, body: bytes, *, now: float | None = None) -> bool:
    """What a receiver runs: True only for a fresh request signed with `secret`."""
    lowered = {str(k).lower(): str(v) for k, v in dict(headers).items()}
    stamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    given = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not stamp.isdigit() or not given:
        return False
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > REPLAY_WINDOW_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, stamp, body), given)
