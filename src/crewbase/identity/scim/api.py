"""/api/v1/scim-token: the account's SCIM token; status (never the secret), rotate, revoke."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from ninja import Router, Schema, Status
from pydantic import Field

from crewbase.api.schemas import Error
from crewbase.identity.scim.actions import tokens

router = Router(tags=["scim"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


def scim_base_url() -> str:
    return f"{settings.CREWBASE_BASE_URL.rstrip('/')}/scim/v2"


class ScimTokenStatus(Schema):
    configured: bool
    base_url: str = Field(description="The SCIM 2.0 base URL to give the identity provider")
    prefix: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    last_used_at: datetime | None = None


class NewScimToken(ScimTokenStatus):
    token: str = Field(description="The bearer token: shown this once, never again")


def _status(token) -> dict:
    if token is None:
        return {"configured": False, "base_url": scim_base_url()}
    return {
        "configured": True,
        "base_url": scim_base_url(),
        "prefix": token.prefix,
        "created_at": token.created_at,
        "created_by": token.created_by_display,
        "last_used_at": token.last_used_at,
    }


@router.get("/scim-token", response={200: ScimTokenStatus, **ERRORS})
def scim_token_status(request):
    return _status(tokens.scim_token_status(actor=request.auth))


@router.post("/scim-token", response={201: NewScimToken, **ERRORS})
def rotate_scim_token(request):
    """Create the SCIM token, or replace it: the previous one stops working at once."""
    token, secret = tokens.rotate_scim_token(actor=request.auth)
    return Status(201, _status(token) | {"token": secret})


@router.delete("/scim-token", response={204: None, **ERRORS})
def revoke_scim_token(request):
    tokens.revoke_scim_token(actor=request.auth)
    return Status(204, None)
