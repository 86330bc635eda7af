"""SCIM Groups are teams (SSO-5): a group named like a team is that team. Every change goes
through the org team actions, so the activity log and the console see SCIM's changes as theirs.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.identity.scim.filters import as_id
from crewbase.identity.scim.models import ScimGroup
from crewbase.org import actions as org
from crewbase.org.models import Team

MAX_EXTERNAL_ID = 254


def _member_ids(raw_ids) -> list[int]:
    ids = []
    for raw in raw_ids:
        pk = as_id(raw)
        if pk is None:
            raise ValidationFailed(
                {"members": gettext("no such user in this account: %(id)s") % {"id": raw}}
            )
        ids.append(pk)
    return sorted(set(ids))


def _refuse_taken_name(actor: Actor, name, team: Team | None = None) -> None:
    clash = Team.objects.filter(account=actor.account, name__iexact=str(name or "").strip())
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise Conflict(
            gettext(
                "A team named '%(name)s' already exists; it is already this group: find it "
                'with filter=displayName eq "%(name)s".'
            )
            % {"name": name},
            errors={"displayName": gettext("already taken in this account")},
        )


def _set_external_id(actor: Actor, team: Team, external_id: str) -> None:
    if len(external_id) > MAX_EXTERNAL_ID:
        raise ValidationFailed(
            {
                "externalId": gettext("must be at most %(limit)s characters")
                % {"limit": MAX_EXTERNAL_ID}
            }
        )
    row = ScimGroup.objects.filter(team=team).first()
    before = row.external_id if row else ""
    if before == external_id:
        return
    if row is None:
        row = ScimGroup(account=actor.account, team=team)
    row.external_id = external_id
    row.save()
    record(
        actor,
        "scim.group_updated",
        team,
        before={"externalId": before},
        after={"externalId": external_id},
    )


def create_group(*, actor: Actor, display_name, external_id: str, member_ids) -> Team:
    policy.require(actor, "teams.manage")
    ids = _member_ids(member_ids)
    with transaction.atomic():
        _refuse_taken_name(actor, display_name)
        team = org.create_team(actor=actor, name=display_name)
        _set_external_id(actor, team, external_id)
        if ids:
            org.add_team_members(actor=actor, team=team, member_ids=ids)
        return team


def replace_group(*, actor: Actor, team: Team, display_name, external_id: str, member_ids):
    """The team becomes exactly what the IdP says: name, externalId, members."""
    policy.require(actor, "teams.manage", target=team)
    wanted = set(_member_ids(member_ids))
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        _refuse_taken_name(actor, display_name, team)
        team = org.update_team(actor=actor, team=team, name=display_name)
        _set_external_id(actor, team, external_id)
        present = set(team.members.values_list("pk", flat=True))
        if wanted - present:
            org.add_team_members(actor=actor, team=team, member_ids=sorted(wanted - present))
        if present - wanted:
            org.remove_team_members(actor=actor, team=team, member_ids=sorted(present - wanted))
        return team


def delete_group(*, actor: Actor, team: Team) -> None:
    org.delete_team(actor=actor, team=team)
