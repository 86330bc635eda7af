"""/api/v1/sso/connections: SSO connections of the caller's account (security.manage).

The client secret is write-only: responses say whether one is stored, never what it is.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from crewbase.api.schemas import Error, Flag, Id, Input, Text
from crewbase.identity.sso import actions, selectors

router = Router(tags=["sso"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class MappingRule(Input):
    group: Text(200)
    role_id: Id | None = None
    team_ids: list[Id] = Field(default_factory=list, max_length=100)


class ConnectionPatch(Input):
    name: Text(100) | None = None
    preset: Text(8) | None = Field(None, description="google, entra, okta, oidc or saml")
    issuer: Text(500) | None = None
    client_id: Text(300) | None = None
    client_secret: Text(1000) | None = Field(None, description="Write-only; stored encrypted")
    metadata_url: Text(500) | None = None
    metadata_xml: Text(200000) | None = None
    idp_entity_id: Text(500) | None = None
    idp_sso_url: Text(500) | None = None
    idp_certificate: Text(10000) | None = None
    groups_attribute: Text(200) | None = None
    domains: list[Text(253)] | None = Field(None, max_length=50)
    provisioning: Text(4) | None = Field(None, description="jit, pre or scim")
    default_role_id: Id | None = None
    jit_agent_access: Flag | None = None
    group_mapping: list[MappingRule] | None = Field(None, max_length=100)
    enforced: Flag | None = None


class ConnectionIn(ConnectionPatch):
    name: Text(100)
    preset: Text(8) = Field(description="google, entra, okta, oidc or saml")


class EnabledIn(Input):
    enabled: Flag


class ConnectionOut(Schema):
    id: int
    name: str
    kind: str
    preset: str
    issuer: str
    client_id: str
    has_client_secret: bool
    metadata_url: str
    idp_entity_id: str
    idp_sso_url: str
    groups_attribute: str
    domains: list[str]
    provisioning: str
    default_role_id: int | None
    jit_agent_access: bool
    group_mapping: list[dict]
    enabled: bool
    enforced: bool
    tested_at: datetime | None
    test_claims: dict | None
    sign_in_url: str
    created_at: datetime

    @staticmethod
    def resolve_has_client_secret(c):
        return bool(c.secret_encrypted)

    @staticmethod
    def resolve_domains(c):
        return c.domain_names

    @staticmethod
    def resolve_sign_in_url(c):
        return f"/sso/{c.account_id}/"


def _data(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    if "client_secret" in data and not data["client_secret"]:
        del data["client_secret"]
    return data


@router.get("/sso/connections", response={200: list[ConnectionOut], **ERRORS})
def list_connections(request):
    return list(selectors.connections_of(request.auth)[:100])


@router.post("/sso/connections", response={201: ConnectionOut, **ERRORS})
def create_connection(request, payload: ConnectionIn):
    connection = actions.create_sso_connection(actor=request.auth, data=_data(payload))
    return Status(201, connection)


@router.get("/sso/connections/{int:connection_id}", response={200: ConnectionOut, **ERRORS})
def get_connection(request, connection_id: int):
    return selectors.get_connection(request.auth, connection_id)


@router.patch("/sso/connections/{int:connection_id}", response={200: ConnectionOut, **ERRORS})
def update_connection(request, connection_id: int, payload: ConnectionPatch):
    found = selectors.get_connection(request.auth, connection_id)
    return actions.update_sso_connection(actor=request.auth, connection=found, data=_data(payload))


@router.post(
    "/sso/connections/{int:connection_id}/enabled", response={200: ConnectionOut, **ERRORS}
)
def set_enabled(request, connection_id: int, payload: EnabledIn):
    found = selectors.get_connection(request.auth, connection_id)
    return actions.set_sso_connection_enabled(
        actor=request.auth, connection=found, enabled=payload.enabled
    )


@router.delete("/sso/connections/{int:connection_id}", response={204: None, **ERRORS})
def delete_connection(request, connection_id: int):
    found = selectors.get_connection(request.auth, connection_id)
    actions.delete_sso_connection(actor=request.auth, connection=found)
    return Status(204, None)
