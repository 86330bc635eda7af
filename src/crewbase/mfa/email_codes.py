"""Emailed six-digit sign-in codes (AUTH-5): 10-minute expiry, single use, 5 wrong tries end
the code, resends rate-limited. Only an HMAC of each code is stored.

Counters live in the EmailCode rows, so every app process sees the same tries and resends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.outbox import queue_email
from crewbase.mfa import code_throttle
from crewbase.mfa.models import EmailCode
from crewbase.people.models import Member, Person
from crewbase.people.signin import request_actor

CODE_DIGITS = 6
LIFETIME = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
RESEND_INTERVAL = timedelta(seconds=60)
MAX_SENDS_PER_HOUR = 10


class ResendTooSoon(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    reason: str = ""
    throttled: bool = False  # refused unread: the person's codes are locked for a while


def _digest(person_id: int, code: str) -> str:
    message = f"{person_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _live_codes(person: Person):
    return EmailCode.objects.filter(person=person, ended_at__isnull=True)


def resend_wait(person: Person) -> str:
    """Why a new code may not be sent yet, or "" when it may."""
    now = clock.now()
    recent = EmailCode.objects.filter(person=person, created_at__gt=now - timedelta(hours=1))
    last = recent.order_by("-created_at").first()
    if last is not None and now - last.created_at < RESEND_INTERVAL:
        seconds = int((RESEND_INTERVAL - (now - last.created_at)).total_seconds()) + 1
        return gettext(
            "a code was sent moments ago; you can ask for another in %(seconds)s seconds"
        ) % {"seconds": seconds}
    if recent.count() >= MAX_SENDS_PER_HOUR:
        return gettext("at most %(count)s codes an hour; use the last one or try again later") % {
            "count": MAX_SENDS_PER_HOUR
        }
    return ""


def send_code_for_sign_in(*, member: Member, request) -> EmailCode | None:
    """At each password sign-in: a new code, except that a code sent under a minute ago is
    kept (a double submit, a second tab) and the hourly cap holds, so signing in again and
    again cannot flood the person's inbox. None when capped: the page offers a resend."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=member.person_id).first()
        now = clock.now()
        fresh = _live_codes(member.person).filter(
            created_at__gt=now - RESEND_INTERVAL, expires_at__gt=now
        )
        kept = fresh.order_by("-created_at").first()
        if kept is not None:
            return kept
        sent = EmailCode.objects.filter(person_id=member.person_id)
        if sent.filter(created_at__gt=now - timedelta(hours=1)).count() >= MAX_SENDS_PER_HOUR:
            return None
        return send_code(member=member, request=request)


def send_code(*, member: Member, request, resend: bool = False) -> EmailCode:
    """Email a new code to the member's person; any earlier code stops working.
    A resend inside the limits of resend_wait() raises ResendTooSoon."""
    person = member.person
    with transaction.atomic():
        # The person row serialises concurrent sends, so the limits hold across processes.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if resend:
            wait = resend_wait(person)
            if wait:
                raise ResendTooSoon(wait)
        now = clock.now()
        _live_codes(person).update(ended_at=now, ended_reason="replaced")
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        row = EmailCode.objects.create(
            person=person,
            member=member,
            code_hash=_digest(person.pk, code),
            created_at=now,
            expires_at=now + LIFETIME,
        )
        context = {"code": code, "account": member.account, "member": member, "minutes": 10}
        queue_email(
            account=member.account,
            to=person.email,
            template="mfa/email/sign_in_code",
            context=context,
            key=f"sign-in-code-{uuid.uuid4().hex}",
        )
        record(request_actor(member, request), "auth.email_code_sent", member)
        return row


def check_code(*, person: Person, code: str, request) -> CheckResult:
    """Use the person's current code. Wrong tries are counted and kept even though the
    answer is a refusal; the fifth ends the code. Each wrong code also counts in the person's
    sign-in throttle, and while that is locked no code is even looked at."""
    locked = code_throttle.refusal(person)
    if locked:
        return CheckResult(False, locked, throttled=True)
    code = (code or "").strip().replace(" ", "")
    if len(code) != CODE_DIGITS or not (code.isascii() and code.isdigit()):
        return CheckResult(
            False,
            gettext("enter the %(digits)s-digit code from the email") % {"digits": CODE_DIGITS},
        )
    with transaction.atomic():
        row = (
            _live_codes(person)
            .select_for_update()
            .select_related("member__account", "member__person")
            .order_by("-created_at")
            .first()
        )
        if row is None:
            # Used, replaced, or ended by wrong tries: a replayed code lands here.
            return CheckResult(False, gettext("this code is no longer valid; send a new code"))
        now = clock.now()
        actor = request_actor(row.member, request)
        if row.expires_at <= now:
            EmailCode.objects.filter(pk=row.pk).update(ended_at=now, ended_reason="expired")
            return CheckResult(False, gettext("this code has expired; send a new code"))
        if not hmac.compare_digest(row.code_hash, _digest(person.pk, code)):
            row.failed_attempts += 1
            ended = row.failed_attempts >= MAX_WRONG_TRIES
            EmailCode.objects.filter(pk=row.pk).update(
                failed_attempts=row.failed_attempts,
                ended_at=now if ended else None,
                ended_reason="too_many_tries" if ended else "",
            )
            record(actor, "auth.email_code_failed", row.member, after={"ended": ended})
            code_throttle.note_wrong(request, person, "otp")
            if ended:
                return CheckResult(
                    False, gettext("too many wrong tries; this code no longer works")
                )
            left = MAX_WRONG_TRIES - row.failed_attempts
            return CheckResult(
                False,
                gettext("wrong code; %(left)s tries left") % {"left": left},
            )
        EmailCode.objects.filter(pk=row.pk).update(ended_at=now, ended_reason="used")
        record(actor, "auth.email_code_verified", row.member)
        code_throttle.note_right(person)
        return CheckResult(True)
