"""/invitations: invite, list pending, resend, cancel, accept (INV-1 … INV-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.contrib.auth import login
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, PlainValidator, WithJsonSchema

from crewbase.api import lookups
from crewbase.api import selectors as api_selectors
from crewbase.api.auth import require_csrf_if_signed_in
from crewbase.api.schemas import MAX_ID, Error, Flag, Id, Input, MemberOut, RoleRef, Text
from crewbase.core.request_info import client_ip
from crewbase.people.actions import invitations
from crewbase.people.sessions import SESSION_ACCOUNT_KEY

router = Router(tags=["invitations"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}

SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
MAX_PASTE = 100_000  # characters of pasted addresses; the action caps the count at 1,000
MAX_LISTED = 1000


def _pasted_or_listed(value):
    """One reason for either shape, instead of one per branch of the union."""
    if isinstance(value, str) and len(value) <= MAX_PASTE:
        return value
    if (
        isinstance(value, list)
        and len(value) <= MAX_LISTED
        and all(isinstance(item, str) and len(item) <= 254 for item in value)
    ):
        return value
    raise ValueError(
        _("must be text of at most %(length)s characters, or a list of at most %(count)s addresses")
        % {"length": MAX_PASTE, "count": MAX_LISTED}
    )


Emails = Annotated[
    str | list[str],
    PlainValidator(_pasted_or_listed),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_PASTE},
                {
                    "type": "array",
                    "items": {"type": "string", "maxLength": 254},
                    "maxItems": MAX_LISTED,
                },
            ]
        }
    ),
]


class InviteIn(Input):
    emails: Emails = Field(
        description="Addresses separated by commas, spaces, semicolons or new lines, or a list"
    )
    role_id: Id
    agent_access: Flag = False
    team_ids: Annotated[list[Id], Field(max_length=500)] = []
    division_ids: Annotated[list[Id], Field(max_length=500)] = []
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    phone: Text(40) = ""


class Skipped(Schema):
    email: str
    reason: str


class ResendOffer(Schema):
    member_id: int
    email: str


class InviteOut(Schema):
    invited: list[MemberOut]
    skipped: list[Skipped]
    resend_offered: list[ResendOffer]


@router.post("", response={200: InviteOut, 201: InviteOut, **ERRORS})
def invite(request, payload: InviteIn):
    """All or nothing; active members are skipped, pending ones are offered a resend (INV-2)."""
    result = invitations.invite_people(actor=request.auth, **payload.dict())
    body = {
        "invited": result.invited,
        "skipped": [{"email": e, "reason": r} for e, r in result.skipped],
        "resend_offered": [{"member_id": m.pk, "email": m.email} for m in result.resend_offered],
    }
    return Status(201 if result.invited else 200, body)


class PendingOut(Schema):
    member_id: int
    email: str
    display_name: str
    role: RoleRef
    agent_access: bool
    invited_by: str
    invited_at: datetime
    expires_at: datetime
    expired: bool


class PendingPageOut(Schema):
    items: list[PendingOut]
    next_cursor: str | None


class PendingPaging(Schema):
    cursor: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)


@router.get("", response={200: PendingPageOut, **ERRORS}, summary="Pending invitations")
def pending(request, paging: Query[PendingPaging]):
    items, next_cursor = api_selectors.pending_invitations(
        request.auth, after_id=paging.cursor, limit=paging.limit
    )
    return {
        "items": [
            {
                "member_id": inv.member_id,
                "email": inv.email,
                "display_name": inv.member.display_name,
                "role": inv.member.role,
                "agent_access": inv.member.agent_access,
                "invited_by": inv.invited_by_display,
                "invited_at": inv.created_at,
                "expires_at": inv.expires_at,
                "expired": inv.is_expired,
            }
            for inv in items
        ],
        "next_cursor": next_cursor,
    }


class ResentOut(Schema):
    member_id: int
    email: str
    expires_at: datetime


@router.post("/{int:member_id}/resend", response={200: ResentOut, **ERRORS})
def resend(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    invitation = invitations.resend_invitation(actor=request.auth, member=member)
    return {"member_id": member.pk, "email": member.email, "expires_at": invitation.expires_at}


@router.delete("/{int:member_id}", response={204: None, **ERRORS})
def cancel(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    invitations.cancel_invitation(actor=request.auth, member=member)
    return Status(204, None)


class AcceptIn(Input):
    token: Text(200)
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    password: Text(4096) = ""


class AcceptOut(Schema):
    member: MemberOut
    account_id: int
    account_name: str
    signed_in: bool


@router.post("/accept", auth=None, response={200: AcceptOut, **ERRORS})
def accept(request, payload: AcceptIn):
    """No sign-in needed for a new person; an existing person must be signed in (INV-5)."""
    require_csrf_if_signed_in(request)
    person = request.user if request.user.is_authenticated else None
    member = invitations.accept_invitation(
        token=payload.token,
        signed_in_person=person,
        first_name=payload.first_name,
        last_name=payload.last_name,
        password=payload.password,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
    )
    if person is None:
        # The new member is signed in, as the console does it (INV-5).
        login(request, member.person, backend=SIGN_IN_BACKEND)
    signed_in = person is None or person.pk == member.person_id
    if signed_in:
        request.session[SESSION_ACCOUNT_KEY] = member.account_id
    return {
        "member": member,
        "account_id": member.account_id,
        "account_name": member.account.name,
        "signed_in": signed_in,
    }
