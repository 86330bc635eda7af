"""/api-tokens: create (the secret is shown once), list, revoke (API-2)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from crewbase.api import actions, lookups
from crewbase.api import selectors as api_selectors
from crewbase.api.schemas import Error, Input, MemberRef, Text

router = Router(tags=["api tokens"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class TokenIn(Input):
    name: Text(120)
    scopes: list[Text(64)] = Field(max_length=100, description="Permission keys, see /permissions")
    expires_at: datetime | None = Field(None, description="ISO 8601 with a time zone")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    member: MemberRef
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked: bool

    @staticmethod
    def resolve_revoked(token):
        return token.revoked_at is not None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret: shown this once, never again")


@router.post("", response={201: NewTokenOut, **ERRORS})
def create(request, payload: TokenIn):
    token, secret = actions.create_api_token(
        actor=request.auth, name=payload.name, scopes=payload.scopes, expires_at=payload.expires_at
    )
    token.token = secret
    return Status(201, token)


@router.get("", response={200: list[TokenOut], **ERRORS})
def list_tokens(request):
    return list(api_selectors.api_tokens_visible_to(request.auth)[:500])


@router.delete("/{int:token_id}", response={204: None, **ERRORS})
def revoke(request, token_id: int):
    token = lookups.api_token(request.auth, token_id)
    actions.revoke_api_token(actor=request.auth, token=token)
    return Status(204, None)
