"""Shapes the API reads and writes. Input types are strict: JSON `"5"` is not the number 5."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, Strict, StrictBool, StrictStr

from crewbase.core import clock

# Ids are 64-bit in every database we run on; a bigger number is refused before any query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Flag = StrictBool


def Text(max_length: int):
    return Annotated[StrictStr, Field(max_length=max_length)]


class Input(Schema):
    """Every request body: unknown fields are refused, so a typo never silently does nothing."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    error: str
    message: str
    errors: dict[str, str] = {}


class RoleRef(Schema):
    id: int
    name: str


class MemberRef(Schema):
    id: int
    email: str
    display_name: str


class MemberOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    display_name: str
    phone: str
    status: str
    role: RoleRef
    agent_access: bool
    is_owner: bool
    is_billing_contact: bool
    invited_at: datetime | None
    joined_at: datetime | None
    deactivated_at: datetime | None
    deactivation_reason: str
    last_seen_at: datetime | None
    last_sign_in_at: datetime | None
    invitation_expires_at: datetime | None
    # "Invited (expired)" in the console (INV-4).
    invitation_expired: bool

    @staticmethod
    def resolve_invitation_expired(member):
        return bool(
            member.status == "invited"
            and member.invitation_expires_at is not None
            and member.invitation_expires_at <= clock.now()
        )


class NamedRef(Schema):
    id: int
    name: str


class MemberDetailOut(MemberOut):
    teams: list[NamedRef]
    divisions: list[NamedRef]
    queues: list[NamedRef]

    @staticmethod
    def resolve_teams(member):
        return list(member.teams.all())

    @staticmethod
    def resolve_divisions(member):
        return list(member.divisions.all())

    @staticmethod
    def resolve_queues(member):
        return list(member.queues.all())


class MemberPageOut(Schema):
    items: list[MemberOut]
    next_cursor: str | None
    total: int | None
    total_is_estimate: bool


class Done(Schema):
    """For actions whose result is a sentence rather than an object."""

    ok: bool = True
    message: str
