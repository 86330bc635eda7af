"""What differs between Users and Groups, so one set of views serves both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crewbase.identity.scim import resources
from crewbase.identity.scim.actions import groups as group_actions
from crewbase.identity.scim.actions import users as user_actions
from crewbase.identity.scim.filters import GroupFilter, UserFilter, as_id
from crewbase.identity.scim.schema import CrewbaseGroup, CrewbaseUser
from crewbase.org.models import Team
from crewbase.people.models import Member


@dataclass(frozen=True)
class Kind:
    name: str
    model: Any
    translator: Any

    def queryset(self, account, *, lean: bool = False):
        if self.model is CrewbaseUser:
            return resources.user_queryset(account)
        return resources.group_queryset(account, with_members=not lean)

    def render(self, obj, base: str, *, lean: bool = False) -> dict:
        if self.model is CrewbaseUser:
            return resources.user_resource(obj, base)
        return resources.group_resource(obj, base, with_members=not lean)

    def get(self, account, resource_id: str, *, lean: bool = False):
        pk = as_id(resource_id)
        if pk is None:
            return None
        return self.queryset(account, lean=lean).filter(pk=pk).first()

    def reload(self, account, obj):
        return self.queryset(account).get(pk=obj.pk)

    def complete(self, payload: dict, current: dict | None = None) -> dict:
        """Fill what IdPs often leave out of a User: `active` (true, or unchanged on PUT)
        and `emails` when userName is the email address, as Okta's default mapping does."""
        if self.model is not CrewbaseUser:
            return payload
        if "active" not in payload:
            payload["active"] = current["active"] if current else True
        user_name = payload.get("userName")
        if not payload.get("emails") and isinstance(user_name, str) and "@" in user_name:
            payload["emails"] = [{"value": user_name, "primary": True}]
        return payload

    def create(self, actor, parsed):
        if self.model is CrewbaseUser:
            return user_actions.provision_user(actor=actor, state=resources.user_state(parsed))
        return group_actions.create_group(
            actor=actor,
            display_name=parsed.display_name,
            external_id=parsed.external_id or "",
            member_ids=resources.group_member_ids(parsed),
        )

    def replace(self, actor, obj, parsed):
        if self.model is CrewbaseUser:
            state = resources.user_state(parsed)
            return user_actions.update_user(actor=actor, member=obj, state=state)
        return group_actions.replace_group(
            actor=actor,
            team=obj,
            display_name=parsed.display_name,
            external_id=parsed.external_id or "",
            member_ids=resources.group_member_ids(parsed),
        )

    def delete(self, actor, obj) -> None:
        if self.model is CrewbaseUser:
            user_actions.deprovision_user(actor=actor, member=obj)
        else:
            group_actions.delete_group(actor=actor, team=obj)


USERS = Kind("User", CrewbaseUser, UserFilter)
GROUPS = Kind("Group", CrewbaseGroup, GroupFilter)
MODELS = {CrewbaseUser: Member, CrewbaseGroup: Team}
