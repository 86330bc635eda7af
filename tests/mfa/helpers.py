"""Scenes for the second-factor tests: signing in through the real allauth pages, TOTP codes
computed with pyotp from the secret allauth stored, and the account's policy set by its action."""

from __future__ import annotations

import re

import pyotp
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from crewbase.mfa.actions import update_mfa_policy
from crewbase.mfa.models import EmailCode
from tests.conftest import TEST_PASSWORD, actor_for

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) CrewbaseTest/1.0"
CODE_IN_SUBJECT = re.compile(r"^(\d{6}) is your sign-in code")


def new_client() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER)


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def is_signed_in(client) -> bool:
    return client.get("/__no_such_page__/").wsgi_request.user.is_authenticated


def enrol_totp(person) -> str:
    """TOTP and recovery codes through allauth's own activation; returns the secret."""
    secret = pyotp.random_base32()
    TOTP.activate(person, secret)
    RecoveryCodes.activate(person)
    return secret


def secret_of(person) -> str:
    data = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP).data
    return get_adapter().decrypt(data["secret"])


def totp_now(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def recovery_codes_of(person) -> list[str]:
    auth = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    return auth.wrap().get_unused_codes()


def set_policy(owner, **changes):
    return update_mfa_policy(actor=actor_for(owner), **changes)


def last_code_row(person) -> EmailCode:
    return EmailCode.objects.filter(person=person).latest("created_at")
