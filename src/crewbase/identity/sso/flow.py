"""Starting an SSO sign-in, and finishing it once the identity provider has answered.

Start: a POST (CSRF-protected) names a connection; a random nonce goes into allauth's
stashed state for this browser, and OIDC sends it to the IdP. Finish: the answer is checked
(claims.py), then either shown to the admin (test sign-in) or turned into a session for the
member the provisioning mode admits (provisioning.py).
"""

from __future__ import annotations

import secrets

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.socialaccount.adapter import get_adapter
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from onelogin.saml2.errors import OneLogin_Saml2_Error

from crewbase.access import policy
from crewbase.core.actor import Actor
from crewbase.core.request_info import client_ip
from crewbase.identity.sso import actions, provisioning
from crewbase.identity.sso.claims import read_answer
from crewbase.identity.sso.models import Kind, SsoConnection
from crewbase.people.sessions import SESSION_ACCOUNT_KEY

TEST_RESULT_KEY = "crewbase_sso_test_result"


def _sso_actor(request, connection: SsoConnection) -> Actor:
    return Actor.sso(
        connection.account,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
    )


def start(request, connection: SsoConnection, *, test: bool = False, next_url: str = ""):
    provider = get_adapter(request).get_provider(request, connection.provider_key)
    nonce = secrets.token_urlsafe(24)
    data = {"connection": connection.pk, "nonce": nonce, "test": test}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    kwargs = {}  # SAML binds the answer to its request through InResponseTo
    if connection.kind == Kind.OIDC:
        kwargs["auth_params"] = {**provider.get_auth_params(), "nonce": nonce}
    try:
        return provider.redirect(request, "login", next_url=next_url or None, data=data, **kwargs)
    except (OneLogin_Saml2_Error, OSError, ValueError, KeyError) as error:
        # The IdP's discovery document or metadata is unreachable or unusable.
        return provider_error(
            request,
            connection,
            gettext("the identity provider is not reachable: %(error)s") % {"error": error},
        )


def refusal_page(request, message: str, status: int = 403):
    return render(request, "sso/refused.html", {"message": message}, status=status)


def provider_error(request, connection: SsoConnection | None, detail: str):
    if connection is not None:
        provisioning.record_refusal(
            _sso_actor(request, connection), connection, "", "provider_error"
        )
    return refusal_page(
        request,
        (
            gettext("The sign-in with your identity provider did not complete (%(detail)s).")
            % {"detail": detail}
            if detail
            else gettext("The sign-in with your identity provider did not complete.")
        )
        + " "
        + gettext("Try again, or ask an admin of your account."),
    )


def _finish_test(request, sociallogin, connection: SsoConnection, answer):
    user = getattr(request, "user", None)
    member = getattr(request, "member", None)
    actor = getattr(request, "actor", None)
    if user is None or not user.is_authenticated or not actor or not member:
        return refusal_page(
            request, gettext("Sign in to Crewbase as an admin to run a test sign-in.")
        )
    if member.account_id != connection.account_id or not policy.can(actor, "security.manage"):
        return refusal_page(
            request, gettext("Only an admin of this account can test its SSO connection.")
        )
    if not answer.problems:
        actions.record_test_sign_in(actor=actor, connection=connection, claims=answer.claims)
    request.session[TEST_RESULT_KEY] = {
        "connection": connection.pk,
        "claims": answer.claims,
        "problems": [message for _, message in answer.problems],
    }
    return redirect(reverse("sso:connection", args=[connection.pk]))


def complete(request, sociallogin, connection: SsoConnection):
    state = sociallogin.state or {}
    data = state.get("data") or {}
    if data.get("connection") != connection.pk:
        return refusal_page(
            request,
            gettext("This sign-in answer was already used, or was not started here. Start again."),
        )
    answer = read_answer(connection, sociallogin)
    if data.get("test"):
        return _finish_test(request, sociallogin, connection, answer)
    actor = _sso_actor(request, connection)
    if not connection.enabled:
        answer.problems.insert(0, ("disabled", gettext("This SSO connection is not enabled.")))
    if answer.problems:
        reason, message = answer.problems[0]
        provisioning.record_refusal(actor, connection, answer.email, reason)
        return refusal_page(request, message)
    try:
        member = provisioning.sign_in(
            actor=actor,
            connection=connection,
            email=answer.email,
            first_name=answer.first_name,
            last_name=answer.last_name,
            groups=answer.groups,
        )
    except provisioning.SignInRefused as refused:
        provisioning.record_refusal(actor, connection, answer.email, refused.reason)
        return refusal_page(request, refused.message)
    person = member.person
    request.session[SESSION_ACCOUNT_KEY] = member.account_id
    record_authentication(
        request,
        person,
        method="socialaccount",
        provider=connection.provider_key,
        uid=sociallogin.account.uid,
    )
    login = Login(
        user=person,
        redirect_url=state.get("next") or "/",
        email=person.email,
        signal_kwargs={"sociallogin": sociallogin},
    )
    return perform_login(request, login)
