"""Console page for the SCIM token (security.manage): status, create or rotate, revoke.

The secret is shown once, on the response to the rotation, and never again.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError
from crewbase.identity.scim.actions import tokens
from crewbase.identity.scim.api import scim_base_url


def _render(request, *, secret: str | None = None, error: str = "", status: int = 200):
    context = {
        "token": tokens.scim_token_status(actor=request.actor),
        "base_url": scim_base_url(),
        "secret": secret,
        "error": error,
    }
    return render(request, "scim/token.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def token_page(request):
    if request.method != "POST":
        return _render(request)
    try:
        _token, secret = tokens.rotate_scim_token(actor=request.actor)
    except DomainError as exc:
        return _render(request, error=exc.message, status=exc.status)
    return _render(request, secret=secret)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("security.manage")
def revoke_page(request):
    token = tokens.scim_token_status(actor=request.actor)
    if token is None:
        return redirect("scim_token")
    if request.method != "POST":
        return render(request, "scim/revoke.html", {"token": token})
    tokens.revoke_scim_token(actor=request.actor)
    messages.success(request, gettext("The SCIM token was revoked: provisioning is off."))
    return redirect("scim_token")


# Included at the site root by config/urls.py (the SCIM protocol lives under /scim/v2/).
urlpatterns = [
    path("security/scim/", token_page, name="scim_token"),
    path("security/scim/revoke/", revoke_page, name="scim_token_revoke"),
]
