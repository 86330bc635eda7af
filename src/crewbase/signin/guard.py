"""Password sign-in through the throttle (AUTH-2): called by the allauth adapter.

The counters are keyed by the email as typed, whether or not anyone has it, so a locked-out
stranger's email and a locked-out member's email get the same words at the same moment.
A lockout is recorded once, when it starts, in every account of the person it protects.
"""

from __future__ import annotations

import logging

from django import forms
from django.db import transaction

from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.request_info import client_ip
from crewbase.people.models import Member, Person, normalize_email
from crewbase.signin import throttle

logger = logging.getLogger("crewbase.signin")


def _email(value) -> str:
    return normalize_email(value if isinstance(value, str) else "")[:254]


def refuse_if_throttled(request, email) -> None:
    """Raises the form error a locked email or address gets, before any password is checked."""
    decisions = [
        throttle.check("password", _email(email)),
        throttle.check("address", client_ip(request) if request is not None else None),
    ]
    waits = [d.retry_after for d in decisions if not d.allowed]
    if waits:
        raise forms.ValidationError(throttle.refusal_message(max(waits)), code="throttled")


def note_failure(request, email) -> None:
    email = _email(email)
    address = client_ip(request) if request is not None else None
    started = []
    for kind, key in (("password", email), ("address", address)):
        failure = throttle.fail(kind, key)
        if failure.lockout_started:
            started.append((kind, failure))
    if started:
        person = Person.objects.filter(email=email).first() if email else None
        _record_lockouts(request, person, address, started)


def note_code_failure(request, person, kind: str = "otp") -> throttle.Failure:
    """A wrong second-factor code ("otp" or "recovery") of a person who passed the password:
    counted per person, its lockout recorded like a password lockout. Check first with
    `throttle.check(kind, person.pk)`; call `throttle.succeed(kind, person.pk)` on a right one."""
    failure = throttle.fail(kind, person.pk)
    if failure.lockout_started:
        address = client_ip(request) if request is not None else None
        _record_lockouts(request, person, address, [(kind, failure)])
    return failure


def note_success(person) -> None:
    throttle.succeed("password", _email(person.email))


def clear_person(person) -> None:
    """A new password (reset link or change) lifts the person's lockouts: they proved it."""
    throttle.succeed("password", _email(person.email))
    for kind in ("otp", "recovery"):
        throttle.succeed(kind, person.pk)


BY = {"password": "email", "address": "address", "otp": "code", "recovery": "recovery code"}


def _record_lockouts(request, person, address, started) -> None:
    for kind, failure in started:
        logger.warning(
            "sign-in lockout: %s after %d failures, %ds (address %s)",
            kind,
            failure.failures,
            failure.locked_for,
            address,
        )
    if person is None:
        return
    agent = request.META.get("HTTP_USER_AGENT", "")[:400] if request is not None else ""
    members = Member.objects.select_related("account", "person").filter(person=person)
    with transaction.atomic():
        for member in members.order_by("account_id"):
            actor = Actor(
                kind="system", account=member.account, ip_address=address, user_agent=agent
            )
            for kind, failure in started:
                record(
                    actor,
                    "auth.locked_out",
                    member,
                    after={
                        "by": BY[kind],
                        "failures": failure.failures,
                        "locked_seconds": failure.locked_for,
                    },
                )
