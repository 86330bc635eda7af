"""Personal settings: ending one of your sessions, revoking one of your API tokens (AUTH-7)."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.api.actions import revoke_api_token
from crewbase.api.models import ApiToken
from crewbase.console.views.guards import console_page
from crewbase.core.errors import NotFound
from crewbase.signin.sessions import end_own_session


@require_POST
@console_page()
def end_session(request, session_id: int):
    current = request.session.session_key
    ending_current = UserSession.objects.filter(
        pk=session_id, user_id=request.user.pk, session_key=current
    ).exists()
    end_own_session(actor=request.actor, session_id=session_id)
    if ending_current:
        return redirect("account_login")
    messages.success(request, gettext("That session is ended: the device is signed out."))
    return redirect("settings")


@require_http_methods(["GET", "HEAD", "POST"])
@console_page()
def revoke_token(request, token_id: int):
    token = ApiToken.objects.filter(
        account=request.actor.account, member=request.member, pk=token_id
    ).first()
    if token is None:
        raise NotFound(gettext("You have no API token with that id."))
    if request.method != "POST":
        return render(request, "console/settings/revoke_token.html", {"token": token})
    revoke_api_token(actor=request.actor, token=token)
    messages.success(
        request,
        gettext("The token '%(name)s' is revoked; it no longer works.") % {"name": token.name},
    )
    return redirect("settings")
