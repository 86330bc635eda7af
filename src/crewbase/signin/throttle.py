"""Growing waits after failed attempts (AUTH-2), shared by every app process.

A kind names what is being guessed and how hard to push back:

- "password": one typed email (known or not: the same counter either way, so the answer never
  tells whether the email exists);
- "address": one client address, across every email it tries (a password spray);
- "otp", "recovery": one person's second-factor codes (used by the mfa area).

Each failure adds one to a counter of consecutive failures. Every `factor` failures the key is
locked for `step` x (failures / factor), at most `cap` (Keycloak's model: 30 failures, 1 minute,
15 minutes). At `hard_limit` consecutive failures (NIST SP 800-63B: no more than 100) the key
stays locked until the counter expires or the person resets their password. While locked,
attempts are refused without being counted, so nobody can extend someone else's lockout by
hammering it.

The counters live in Django's cache: Redis when REDIS_URL is set (shared by all processes,
INCR is atomic), per-process memory otherwise (one process). allauth's own ACCOUNT_RATE_LIMITS
("login_failed") still apply on top: they cap the rate, this module makes repeated failure cost
more and more time.

    decision = throttle.check("otp", person.pk)
    if not decision.allowed: refuse, saying decision.message
    ... verify ...
    throttle.fail("otp", person.pk)   or   throttle.succeed("otp", person.pk)
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext

from crewbase.core import clock


@dataclass(frozen=True)
class Policy:
    factor: int  # failures between two lockouts
    step: int  # seconds added to the wait at each lockout
    cap: int  # longest wait, seconds
    hard_limit: int | None  # consecutive failures that lock until the counter expires
    window: int  # seconds without a failure after which the counter starts again


MINUTE = 60
HOUR = 3600
POLICIES: dict[str, Policy] = {
    # Ten tries per person before the first wait: a person mistyping rarely gets there, a
    # guesser gets there in seconds.
    "password": Policy(factor=10, step=MINUTE, cap=15 * MINUTE, hard_limit=100, window=12 * HOUR),
    # An office behind one address has many people: Keycloak's 30 before each wait.
    "address": Policy(factor=30, step=MINUTE, cap=15 * MINUTE, hard_limit=None, window=HOUR),
    "otp": Policy(factor=5, step=MINUTE, cap=15 * MINUTE, hard_limit=100, window=12 * HOUR),
    "recovery": Policy(factor=5, step=MINUTE, cap=15 * MINUTE, hard_limit=100, window=12 * HOUR),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds

    @property
    def message(self) -> str:
        return refusal_message(self.retry_after)


@dataclass(frozen=True)
class Failure:
    failures: int  # consecutive failures so far
    locked_for: int  # seconds; 0 when this failure did not start a lockout

    @property
    def lockout_started(self) -> bool:
        return self.locked_for > 0


def refusal_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / MINUTE))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _digest(key) -> str:
    # Emails and addresses as typed are hashed: cache keys stay short, safe and unreadable.
    return hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:40]


def _keys(kind: str, key) -> tuple[str, str]:
    if kind not in POLICIES:
        raise KeyError(f"unknown throttle kind {kind!r}")
    digest = _digest(key)
    return f"signin:fails:{kind}:{digest}", f"signin:lock:{kind}:{digest}"


def _now() -> float:
    return clock.now().timestamp()


def check(kind: str, key) -> Decision:
    """May one more attempt be made now? Reads only; an empty key is always allowed."""
    if key in (None, ""):
        return Decision(True)
    _, lock_key = _keys(kind, key)
    until = cache.get(lock_key)
    if until is None:
        return Decision(True)
    left = float(until) - _now()
    if left <= 0:
        return Decision(True)
    return Decision(False, retry_after=math.ceil(left))


def wait_for(policy: Policy, failures: int) -> int:
    """Seconds to lock after `failures` consecutive failures (0: no lockout starts now)."""
    if policy.hard_limit is not None and failures >= policy.hard_limit:
        return policy.window
    if failures < policy.factor or failures % policy.factor:
        return 0
    return min(policy.cap, policy.step * (failures // policy.factor))


def fail(kind: str, key) -> Failure:
    """Count one failed attempt; returns how many in a row and whether a lockout starts."""
    if key in (None, ""):
        return Failure(0, 0)
    policy = POLICIES[kind]
    fails_key, lock_key = _keys(kind, key)
    # add() then incr(): atomic on Redis (SETNX, INCR) and under the lock of the memory cache.
    cache.add(fails_key, 0, timeout=policy.window)
    try:
        failures = cache.incr(fails_key)
    except ValueError:  # expired between add() and incr()
        cache.add(fails_key, 1, timeout=policy.window)
        failures = 1
    cache.touch(fails_key, timeout=policy.window)
    locked_for = wait_for(policy, failures)
    if policy.hard_limit is not None and failures > policy.hard_limit:
        # Already locked for the whole window when the limit was reached: one lockout only.
        locked_for = 0
    if locked_for:
        cache.set(lock_key, _now() + locked_for, timeout=locked_for + MINUTE)
    return Failure(failures, locked_for)


def succeed(kind: str, key) -> None:
    """A right answer: the consecutive count starts again (per-address counters are never
    reset this way, or a guesser holding one valid account could reset them at will)."""
    if key in (None, ""):
        return
    fails_key, lock_key = _keys(kind, key)
    cache.delete_many([fails_key, lock_key])


def failures(kind: str, key) -> int:
    fails_key, _ = _keys(kind, key)
    return int(cache.get(fails_key) or 0)
