"""Members and teams as SCIM JSON, and SCIM payloads read back into what the actions take."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Prefetch

from crewbase.identity.scim.actions.users import UserState
from crewbase.identity.scim.schema import GROUP_SCHEMA, USER_SCHEMA, CrewbaseGroup, CrewbaseUser
from crewbase.org.models import Team
from crewbase.people.models import Member, MemberStatus

# SCIM attributes kept as sent, with no Crewbase column behind them.
KEPT_USER_ATTRIBUTES = ("displayName", "emails", "phoneNumbers")


def _iso(moment) -> str:
    return moment.isoformat()


def with_version(resource: dict) -> dict:
    """meta.version: a weak ETag over everything the resource says (RFC 7644 §3.14)."""
    text = json.dumps(resource, sort_keys=True, default=str)
    resource["meta"]["version"] = 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'
    return resource


def user_queryset(account):
    return (
        Member.objects.filter(account=account)
        .select_related("scim_user")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.only("id", "name")))
    )


def user_resource(member: Member, base_url: str) -> dict:
    try:
        row = member.scim_user
    except Member.scim_user.RelatedObjectDoesNotExist:
        row = None
    resource: dict = {"schemas": [USER_SCHEMA], "id": str(member.pk)}
    if row is not None:
        resource["userName"] = row.user_name
        if row.external_id:
            resource["externalId"] = row.external_id
        kept = row.attributes
    else:
        # Not touched by SCIM yet: the member's own email and name stand in.
        resource["userName"] = member.email
        kept = {"emails": [{"value": member.email, "type": "work", "primary": True}]}
        if member.display_name:
            kept["displayName"] = member.display_name
    name = dict((kept.get("name") or {}) if row is not None else {})
    name.pop("givenName", None)
    name.pop("familyName", None)
    if member.first_name:
        name["givenName"] = member.first_name
    if member.last_name:
        name["familyName"] = member.last_name
    if name:
        resource["name"] = name
    for key in KEPT_USER_ATTRIBUTES:
        if kept.get(key) not in (None, [], ""):
            resource[key] = kept[key]
    resource["active"] = member.status == MemberStatus.ACTIVE
    teams = sorted(member.teams.all(), key=lambda t: t.pk)
    if teams:
        resource["groups"] = [
            {"value": str(t.pk), "$ref": f"{base_url}/Groups/{t.pk}", "display": t.name}
            for t in teams
        ]
    resource["meta"] = {
        "resourceType": "User",
        "created": _iso(member.created_at),
        "lastModified": _iso(max(member.updated_at, row.updated_at) if row else member.updated_at),
        "location": f"{base_url}/Users/{member.pk}",
    }
    return with_version(resource)


def group_queryset(account, *, with_members: bool = True):
    queryset = Team.objects.filter(account=account).select_related("scim_group").order_by("pk")
    if with_members:
        queryset = queryset.prefetch_related(
            Prefetch("members", queryset=Member.objects.only("id").order_by("pk"))
        )
    return queryset


def group_resource(team: Team, base_url: str, *, with_members: bool = True) -> dict:
    try:
        external_id = team.scim_group.external_id
        modified = team.scim_group.updated_at
    except Team.scim_group.RelatedObjectDoesNotExist:
        external_id, modified = "", team.created_at
    resource: dict = {"schemas": [GROUP_SCHEMA], "id": str(team.pk), "displayName": team.name}
    if external_id:
        resource["externalId"] = external_id
    if with_members:
        members = sorted(team.members.all(), key=lambda m: m.pk)
        if members:
            resource["members"] = [
                {"value": str(m.pk), "$ref": f"{base_url}/Users/{m.pk}", "type": "User"}
                for m in members
            ]
    resource["meta"] = {
        "resourceType": "Group",
        "created": _iso(team.created_at),
        "lastModified": _iso(max(team.created_at, modified)),
        "location": f"{base_url}/Groups/{team.pk}",
    }
    return with_version(resource)


def _primary(entries: list[dict]) -> dict | None:
    entries = [e for e in entries or [] if e.get("value")]
    return next((e for e in entries if e.get("primary")), entries[0] if entries else None)


def user_state(user: CrewbaseUser) -> UserState:
    """Read a validated SCIM user into the actions' terms."""
    data = user.model_dump(exclude_none=True)
    name = data.get("name") or {}
    email = _primary(data.get("emails"))
    phone = _primary(data.get("phoneNumbers"))
    kept = {key: data[key] for key in KEPT_USER_ATTRIBUTES if data.get(key) not in (None, [])}
    if name.get("formatted"):
        kept["name"] = {"formatted": name["formatted"]}
    return UserState(
        user_name=data.get("userName") or "",
        email=email["value"] if email else "",
        external_id=data.get("externalId") or "",
        first_name=(name.get("givenName") or "").strip(),
        last_name=(name.get("familyName") or "").strip(),
        phone=(phone["value"] if phone else "").strip(),
        active=user.active,
        attributes=kept,
    )


def group_member_ids(group: CrewbaseGroup) -> list[str]:
    return [m.value for m in group.members or [] if m.value]
