"""/me and /csrf: who the caller is, and the CSRF token a session-based client sends back."""

from __future__ import annotations

from django.middleware.csrf import get_token
from ninja import Router, Schema

from crewbase.access import policy
from crewbase.api.schemas import Error, MemberDetailOut

router = Router(tags=["session"])


class MeOut(Schema):
    member: MemberDetailOut
    account_id: int
    account_name: str
    auth: str
    permissions: list[str]


@router.get("/me", response={200: MeOut, 401: Error})
def me(request):
    """The calling member and the permissions in effect (a token's are narrowed by its scopes)."""
    actor = request.auth
    return {
        "member": actor.member,
        "account_id": actor.account.pk,
        "account_name": actor.account.name,
        "auth": "token" if actor.kind == "api_token" else "session",
        "permissions": sorted(policy.actor_permissions(actor)),
    }


class CsrfOut(Schema):
    csrf_token: str


@router.get("/csrf", auth=None, response={200: CsrfOut})
def csrf(request):
    """Sets the csrftoken cookie; send the value as X-CSRFToken on unsafe session requests."""
    return {"csrf_token": get_token(request)}
