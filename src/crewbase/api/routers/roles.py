"""/roles and /permissions: the catalogue, built-in and custom roles (ROLE-1 … ROLE-3)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Count, Q
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from crewbase.access import actions
from crewbase.access.models import Role
from crewbase.access.permissions import PERMISSION_LABELS, Perm
from crewbase.api import lookups
from crewbase.api.schemas import Error, Id, Input, Text

router = Router(tags=["roles"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}

PermissionKeys = Annotated[list[Text(64)], Field(max_length=100)]


class PermissionOut(Schema):
    key: str
    label: str


class RoleOut(Schema):
    id: int
    name: str
    description: str
    builtin: bool
    builtin_key: str
    permissions: list[str]
    member_count: int

    @staticmethod
    def resolve_builtin(role):
        return role.is_builtin


def _roles_with_counts(account):
    # Built-in roles are shared rows: count only this account's members.
    return (
        Role.objects.for_account(account)
        .annotate(member_count=Count("members", filter=Q(members__account=account)))
        .order_by("account_id", "id")
    )


@router.get("/permissions", response={200: list[PermissionOut], **ERRORS})
def permissions(request):
    return [{"key": p.value, "label": gettext(PERMISSION_LABELS[p])} for p in Perm]


@router.get("/roles", response={200: list[RoleOut], **ERRORS})
def list_roles(request):
    return list(_roles_with_counts(request.auth.account))


def _one(actor, role_id: int) -> Role:
    lookups.role(actor, role_id)
    return _roles_with_counts(actor.account).get(pk=role_id)


@router.get("/roles/{int:role_id}", response={200: RoleOut, **ERRORS})
def get_role(request, role_id: int):
    return _one(request.auth, role_id)


class RoleIn(Input):
    name: Text(80)
    permissions: PermissionKeys | None = None
    description: Text(300) = ""
    clone_of: Id | None = Field(None, description="Copy this role's permissions")


@router.post("/roles", response={201: RoleOut, **ERRORS})
def create_role(request, payload: RoleIn):
    role = actions.create_role(actor=request.auth, **payload.dict())
    return Status(201, _one(request.auth, role.pk))


class RoleChanges(Input):
    name: Text(80) | None = None
    permissions: PermissionKeys | None = None
    description: Text(300) | None = None


@router.patch("/roles/{int:role_id}", response={200: RoleOut, **ERRORS})
def update_role(request, role_id: int, payload: RoleChanges):
    role = lookups.role(request.auth, role_id)
    actions.update_role(actor=request.auth, role=role, **payload.dict(exclude_unset=True))
    return _one(request.auth, role_id)


@router.delete("/roles/{int:role_id}", response={204: None, **ERRORS})
def delete_role(request, role_id: int):
    role = lookups.role(request.auth, role_id)
    actions.delete_role(actor=request.auth, role=role)
    return Status(204, None)
