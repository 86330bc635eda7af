"""allauth's provider app (SocialApp) behind each connection, kept in step with it.

The client secret is never written to SocialApp: it stays encrypted on the connection and
SsoAdapter.list_apps fills it in memory when allauth asks."""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from crewbase.identity.sso.models import Kind, SsoConnection

# Where a SAML IdP's answer may put each field; allauth takes the first one present.
SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id", "uid"],
    "email": [
        "email",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "first_name": [
        "first_name",
        "givenName",
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "last_name",
        "sn",
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}


def _settings(connection: SsoConnection) -> dict:
    if connection.kind == Kind.OIDC:
        return {"server_url": connection.issuer, "fetch_userinfo": True}
    idp = {"entity_id": connection.idp_entity_id}
    if connection.metadata_url:
        idp["metadata_url"] = connection.metadata_url
    else:
        idp |= {"sso_url": connection.idp_sso_url, "x509cert": connection.idp_certificate}
    return {
        "idp": idp,
        "attribute_mapping": SAML_ATTRIBUTES,
        "use_nameid_for_email": True,
        "advanced": {
            "strict": True,  # audience, destination, validity window, InResponseTo
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            # Our own ACS URL may be a single-label host (localhost, an intranet name).
            "allow_single_label_domains": True,
        },
    }


def sync_social_app(connection: SsoConnection) -> SocialApp:
    app = connection.social_app or SocialApp()
    app.provider = "openid_connect" if connection.kind == Kind.OIDC else "saml"
    app.provider_id = connection.provider_key
    app.name = connection.name[:40]
    # For SAML allauth reads the organisation slug of its URLs from client_id.
    app.client_id = (
        connection.client_id if connection.kind == Kind.OIDC else connection.provider_key
    )
    app.secret = ""
    app.settings = _settings(connection)
    app.save()
    if connection.social_app_id != app.pk:
        connection.social_app = app
        connection.save(update_fields=["social_app"])
    return app
