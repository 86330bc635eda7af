"""/members: list, read, edit, and the lifecycle of one member (LIST-1, LIFE-*, ROLE-4)."""

from __future__ import annotations

from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field, create_model

from crewbase.api import lookups
from crewbase.api.schemas import (
    Done,
    Error,
    Flag,
    Id,
    Input,
    MemberDetailOut,
    MemberOut,
    MemberPageOut,
    Text,
)
from crewbase.people import list_extensions
from crewbase.people.actions import changes, lifecycle
from crewbase.people.models import DeactivationReason

router = Router(tags=["members"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class BaseMemberFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Name or email, substring")
    role: str | None = Field(None, max_length=40, description="Role id")
    status: str | None = Field(
        None, max_length=40, description="active, invited, expired, deactivated"
    )
    team: str | None = Field(None, max_length=40, description="Team id")
    agent_access: str | None = Field(None, max_length=10, description="true or false")
    division: str | None = Field(None, max_length=40, description="Division id")
    queue: str | None = Field(None, max_length=40, description="Queue id")
    sort: str = Field("name", max_length=40)
    cursor: str | None = Field(None, max_length=2048)
    limit: int = Field(50, ge=1, le=200)


# The filters other areas register (people/list_extensions) are query parameters too.
MemberFilters = create_model(
    "MemberFilters",
    __base__=BaseMemberFilters,
    **{
        extra.name: (str | None, Field(None, max_length=100, description=extra.description))
        for extra in list_extensions.filters()
    },
)


@router.get("", response={200: MemberPageOut, **ERRORS}, summary="List and search members")
def list_members(request, filters: Query[MemberFilters]):
    from crewbase.people.selectors import list_members as select_members

    # Read registered filters from the query itself too: one registered after this schema was
    # built (at import) still applies, so the OpenAPI list is documentation, not a gate.
    params = filters.dict()
    for extra in list_extensions.filters():
        if params.get(extra.name) is None and extra.name in request.GET:
            params[extra.name] = request.GET[extra.name][:100]
    return select_members(request.auth, **params)


@router.get("/{int:member_id}", response={200: MemberDetailOut, **ERRORS})
def get_member(request, member_id: int):
    return lookups.member(request.auth, member_id)


class MemberChanges(Input):
    first_name: Text(150) | None = None
    last_name: Text(150) | None = None
    phone: Text(40) | None = None
    # Accepted only to say plainly that it cannot change (LIFE-5).
    email: Text(254) | None = None


@router.patch("/{int:member_id}", response={200: MemberDetailOut, **ERRORS})
def update_member(request, member_id: int, payload: MemberChanges):
    member = lookups.member(request.auth, member_id)
    return changes.update_member(
        actor=request.auth, member=member, changes=payload.dict(exclude_unset=True)
    )


class RoleChange(Input):
    role_id: Id


@router.post("/{int:member_id}/role", response={200: MemberDetailOut, **ERRORS})
def change_role(request, member_id: int, payload: RoleChange):
    member = lookups.member(request.auth, member_id)
    return changes.change_role(actor=request.auth, member=member, role_id=payload.role_id)


class AgentAccessChange(Input):
    agent_access: Flag


@router.post("/{int:member_id}/agent-access", response={200: MemberDetailOut, **ERRORS})
def set_agent_access(request, member_id: int, payload: AgentAccessChange):
    member = lookups.member(request.auth, member_id)
    return changes.set_agent_access(actor=request.auth, member=member, enabled=payload.agent_access)


class Deactivation(Input):
    reassign_to: Id | None = Field(None, description="Member who gets their open tickets")
    reason: DeactivationReason = DeactivationReason.OTHER


class DeactivationOut(Schema):
    member: MemberDetailOut
    tickets_reassigned: int
    queues_left: list[str]
    sessions_ended: int
    tokens_revoked: int


@router.post("/{int:member_id}/deactivate", response={200: DeactivationOut, **ERRORS})
def deactivate(request, member_id: int, payload: Deactivation | None = None):
    payload = payload or Deactivation()
    member = lookups.member(request.auth, member_id)
    return lifecycle.deactivate_member(
        actor=request.auth, member=member, reassign_to=payload.reassign_to, reason=payload.reason
    )


class ReactivationOut(Schema):
    member: MemberDetailOut
    agent_access_dropped: bool
    queues_restored: bool
    message: str


@router.post("/{int:member_id}/reactivate", response={200: ReactivationOut, **ERRORS})
def reactivate(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    result = lifecycle.reactivate_member(actor=request.auth, member=member)
    notes = [gettext("Queues are not restored; add the member to queues again.")]
    if result.agent_access_dropped:
        notes.append(gettext("Agent access was turned off: no agent seat was free."))
    return {
        "member": result.member,
        "agent_access_dropped": result.agent_access_dropped,
        "queues_restored": result.queues_restored,
        "message": " ".join(notes),
    }


@router.delete("/{int:member_id}", response={204: None, **ERRORS})
def delete(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    lifecycle.delete_member(actor=request.auth, member=member)
    return Status(204, None)


class Offboarding(Input):
    reassign_tickets_to: Id | None = None
    transfer_assets_to: Id | None = None
    reason: DeactivationReason = DeactivationReason.LEFT_COMPANY


class OffboardOut(Schema):
    deactivation: DeactivationOut
    macros_transferred: int
    saved_views_transferred: int
    assets_to: MemberOut | None


@router.post("/{int:member_id}/offboard", response={200: OffboardOut, **ERRORS})
def offboard(request, member_id: int, payload: Offboarding | None = None):
    payload = payload or Offboarding()
    member = lookups.member(request.auth, member_id)
    return lifecycle.offboard_member(
        actor=request.auth,
        member=member,
        reassign_tickets_to=payload.reassign_tickets_to,
        transfer_assets_to=payload.transfer_assets_to,
        reason=payload.reason,
    )


class SignOutOut(Schema):
    sessions_ended: int


@router.post("/{int:member_id}/sign-out-everywhere", response={200: SignOutOut, **ERRORS})
def sign_out_everywhere(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    ended = changes.sign_out_everywhere(actor=request.auth, member=member)
    return {"sessions_ended": ended}


@router.post("/{int:member_id}/password-reset", response={202: Done, **ERRORS})
def send_password_reset(request, member_id: int):
    from crewbase.people.actions.passwords import send_password_reset as send_reset

    member = lookups.member(request.auth, member_id)
    send_reset(actor=request.auth, member=member)
    return Status(202, {"message": f"A password reset link is on its way to {member.email}."})
