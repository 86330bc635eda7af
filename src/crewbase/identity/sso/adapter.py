"""allauth's socialaccount adapter for Crewbase: every SSO answer is decided by
identity/sso/flow.py, never by allauth's own sign-up or account linking."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext

from crewbase.identity.sso import flow
from crewbase.identity.sso.models import SsoConnection


def connection_for_app(app) -> SsoConnection | None:
    if app is None or app.pk is None:
        return None
    return (
        SsoConnection.objects.select_related("account", "default_role")
        .filter(social_app_id=app.pk)
        .first()
    )


class SsoAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        connections = {
            c.social_app_id: c
            for c in SsoConnection.objects.filter(social_app_id__in=[a.pk for a in apps if a.pk])
        }
        for app in apps:
            if app.pk in connections:
                # Decrypted for this request only; the SocialApp row holds no secret.
                app.secret = connections[app.pk].secret
        return apps

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        connection = connection_for_app(sociallogin.provider.app)
        if connection is None:
            raise ImmediateHttpResponse(
                flow.refusal_page(request, gettext("This sign-in method is not set up."))
            )
        raise ImmediateHttpResponse(flow.complete(request, sociallogin, connection))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        connection = connection_for_app(getattr(provider, "app", None))
        detail = (extra_context or {}).get("saml_last_error_reason") or error or exception
        raise ImmediateHttpResponse(flow.provider_error(request, connection, str(detail or "")))
