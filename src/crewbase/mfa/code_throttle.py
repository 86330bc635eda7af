"""Second-factor codes through the sign-in throttle (AUTH-2, AUTH-4, AUTH-5), at sign-in and
at the re-authentication prompt before sensitive changes.

Someone who has the password can guess the code: each wrong TOTP, recovery or emailed code
counts one failure for that person ("otp" or "recovery" in `crewbase.signin.throttle`), with
the same growing waits and the lockout recorded once in activity. While either counter is
locked, every second-factor step refuses before looking at the code: both guard the same
sign-in, so running out of TOTP guesses must not open a round of recovery-code guesses.
A right code ends both counts. allauth's own fixed-window limit still applies after ours.
"""

from __future__ import annotations

from allauth.core import context
from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms

from crewbase.signin import guard, throttle

KINDS = ("otp", "recovery")


def refusal(person) -> str:
    """The "try again in N minutes" sentence while the person's codes are locked, else ""."""
    waits = [d.retry_after for kind in KINDS if not (d := throttle.check(kind, person.pk)).allowed]
    return throttle.refusal_message(max(waits)) if waits else ""


def note_wrong(request, person, kind: str) -> None:
    guard.note_code_failure(request, person, kind)


def note_right(person) -> None:
    for kind in KINDS:
        throttle.succeed(kind, person.pk)


def kind_of(code: str) -> str:
    """What a code typed on allauth's step was meant to be: recovery codes are longer."""
    digits = normalize_user_code(code or "")
    return "recovery" if len(digits) == mfa_settings.RECOVERY_CODE_DIGITS else "otp"


class _ThrottledCode:
    """clean_code through the throttle, for allauth's code forms (they set self.user)."""

    def clean_code(self) -> str:
        locked = refusal(self.user)
        if locked:
            raise forms.ValidationError(locked, code="throttled")
        typed = self.cleaned_data["code"]
        try:
            code = super().clean_code()
        except forms.ValidationError as error:
            # allauth's own limit refusing (no code was compared) costs nothing more.
            if error.code == "incorrect_code":
                note_wrong(context.request, self.user, kind_of(typed))
            raise
        note_right(self.user)
        return code


class ThrottledAuthenticateForm(_ThrottledCode, AuthenticateForm):
    """allauth's TOTP / recovery-code step at sign-in (settings.MFA_FORMS["authenticate"])."""


class ThrottledReauthenticateForm(_ThrottledCode, ReauthenticateForm):
    """allauth's code prompt before a sensitive change, such as turning two-factor off
    (settings.MFA_FORMS["reauthenticate"]): the same counters as at sign-in, so a stolen
    session cannot guess codes there at a faster pace than a sign-in could."""
