"""Enforced SSO at the password doors (SSO-2), called from the allauth account adapter.

Sign-in: a right password of a member of an enforcing account is refused with a page that
points to the account's SSO link (the password was right, so saying why reveals nothing to a
stranger). The owner passes: the break-glass path, recorded as "break-glass sign-in".
Reset: the same members get an email pointing to SSO instead of a reset link; the page they
see is the usual "check your email", so the answer does not reveal who has an account.
New password: a reset link sent before enforcement began shows the way to SSO instead of its
form, and a new password sent anyway is refused (the link proves the address, so saying why
is safe).
"""

from __future__ import annotations

from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext

from crewbase.audit.record import record
from crewbase.core.outbox import queue_email
from crewbase.identity.sso.enforcement import password_verdict, sso_link_for
from crewbase.people.signin import request_actor


def refuse_password_sign_in(request, user, signal_kwargs, memberships=None):
    """A response refusing the password, or None to let the sign-in go on. `memberships`:
    see password_verdict."""
    if (signal_kwargs or {}).get("sociallogin") is not None:
        return None  # an SSO sign-in: flow.py decided already
    refused, break_glass = password_verdict(user, memberships)
    if not refused and not break_glass:
        return None  # nothing to record: no transaction to open and commit
    with transaction.atomic():
        for member in refused:
            record(
                request_actor(member, request),
                "sso.password_refused",
                member,
                after={"what": "sign-in"},
            )
        if not refused:
            for member in break_glass:
                record(request_actor(member, request), "sso.break_glass_sign_in", member)
    if not refused:
        return None
    clear_login(request)
    links = [(m.account.name, sso_link_for(m)) for m in refused]
    return render(request, "sso/password_refused.html", {"links": links}, status=403)


def reset_refused(user, request) -> bool:
    """True when the person must use SSO: they get a pointer to it instead of a reset link."""
    refused, _ = password_verdict(user)
    if not refused:
        return False
    links = [(m.account.name, f"{settings.CREWBASE_BASE_URL}{sso_link_for(m)}") for m in refused]
    with transaction.atomic():
        for member in refused:
            record(
                request_actor(member, request),
                "sso.password_refused",
                member,
                after={"what": "reset"},
            )
        queue_email(
            account=refused[0].account,
            to=user.email,
            template="sso_reset_refused",
            context={"links": links},
        )
    return True


def refusal_text(person) -> str:
    """Why this person may not choose a password, with their SSO links ("" when they may)."""
    refused, _ = password_verdict(person)
    return _refusal_text(refused)


def _refusal_text(refused) -> str:
    if not refused:
        return ""
    links = ", ".join(f"{settings.CREWBASE_BASE_URL}{sso_link_for(m)}" for m in refused)
    return gettext(
        "Your organisation signs you in with single sign-on, so you cannot set a Crewbase "
        "password. Sign in here: %(links)s"
    ) % {"links": links}


def new_password_refusal(user, request) -> str:
    """Why this person may not choose a password ("" when they may), recorded when refused.

    Reaches the "choose a new password" step of a reset link issued before enforcement."""
    refused, _ = password_verdict(user)
    if not refused:
        return ""
    with transaction.atomic():
        for member in refused:
            record(
                request_actor(member, request),
                "sso.password_refused",
                member,
                after={"what": "new password"},
            )
    return _refusal_text(refused)
