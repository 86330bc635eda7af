"""Required 2FA per role (AUTH-6): a signed-in member whose role requires 2FA and who has not
enrolled reaches nothing but enrolment and sign-out.

Console pages redirect to allauth's TOTP enrolment; the API, when called with the session,
answers 403 JSON naming the reason. Bearer-token calls are not gated: a token is issued by
an admin to a program, which cannot enrol, and its holder never signs in with a password;
the admin's control over tokens (scopes, expiry, revocation) is the safeguard there.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from crewbase.mfa.requirements import must_enrol
from crewbase.people.sessions import SESSION_ACCOUNT_KEY

# Enrolment itself (with allauth's re-authentication and recovery codes), and signing out.
OPEN_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/api/v1/csrf",  # a CSRF token grants nothing; a client needs it to sign out
    "/static/",
    "/healthz",
)
REASON = gettext_lazy(
    "Your role requires two-factor authentication: set it up before doing anything else."
)


def _is_open(request) -> bool:
    return request.path.startswith(OPEN_PREFIXES)


def _uses_bearer_token(request) -> bool:
    return request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")


class RequiredTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_open(request) and self._must_enrol(request):
            enrol = reverse("mfa_activate_totp")
            if request.path.startswith("/api/"):
                body = {"error": "two_factor_enrolment_required", "message": str(REASON)}
                return JsonResponse({**body, "enrol_url": enrol}, status=403)
            return HttpResponseRedirect(f"{enrol}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _uses_bearer_token(request):
            return False
        return must_enrol(user, account_id=request.session.get(SESSION_ACCOUNT_KEY))
