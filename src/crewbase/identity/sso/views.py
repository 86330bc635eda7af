"""Public sign-in entry points: the account's sign-in link (/sso/<account id>/), starting a
connection's sign-in, and home-realm discovery from an email address."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.identity.sso import flow, selectors
from crewbase.identity.sso.models import SsoConnection


@require_http_methods(["GET", "HEAD"])
def account_sign_in(request, account_id: int):
    found = list(selectors.enabled_connections(account_id))
    if not found:
        return flow.refusal_page(
            request,
            gettext("This account has no single sign-on set up. Sign in with your password."),
            404,
        )
    return render(
        request,
        "sso/sign_in.html",
        {"connections": found, "next": request.GET.get("next", "")},
    )


@require_POST
def start(request, connection_id: int):
    found = SsoConnection.objects.filter(pk=connection_id, enabled=True).first()
    if found is None:
        return flow.refusal_page(request, gettext("This sign-in method is not available."), 404)
    return flow.start(request, found, next_url=request.POST.get("next", ""))


@require_POST
def discover(request):
    """The sign-in page's "continue with SSO": the same answer for any unknown address."""
    email = request.POST.get("email", "")[:254]
    found = selectors.connection_for_email(email)
    if found is None:
        return render(
            request,
            "sso/discover.html",
            {
                "email": email,
                "error": gettext(
                    "No single sign-on is set up for this address. Sign in with your password."
                ),
            },
            status=422,
        )
    return flow.start(request, found, next_url=request.POST.get("next", ""))
