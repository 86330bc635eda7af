"""A fresh account with one member per built-in role, plus the objects the endpoints act on."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

from crewbase.access.actions import create_role
from crewbase.access.policy import member_permissions
from crewbase.accounts.actions import cancel_account
from crewbase.api.actions import create_api_token
from crewbase.core.models import OutboxMessage
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.org.matrix_scene import org_values
from tests.webhooks.matrix_setup import webhook_values

ROLE_KEYS = ("admin", "supervisor", "editor", "agent", "read_only")
LINK = re.compile(r"/invitations/([^/\s]+)/")


@dataclass
class Scene:
    account: object
    owner: object
    members: dict  # caller name ("owner", "admin", …, "other_account") -> Member
    values: dict = field(default_factory=dict)  # "$name" placeholders of matrix.yaml

    def caller(self, name: str):
        return self.members.get(name)


def _invitation_secret(email: str) -> str:
    message = OutboxMessage.objects.filter(payload__to=email).order_by("-id").first()
    return LINK.search(message.payload["body"]).group(1)


def _token_for(member) -> str:
    """A token holding every permission the member holds: the same rights by another route."""
    _, secret = create_api_token(
        actor=actor_for(member),
        name=f"matrix {member.email}",
        scopes=sorted(member_permissions(member)),
    )
    return secret


def build_scene() -> Scene:
    account, owner = make_account(paid_agent_seats=5)
    members = {"owner": owner}
    for key in ROLE_KEYS:
        members[key] = make_member(account, key)
    other_account, _ = make_account()
    members["other_account"] = make_member(other_account, "admin")

    target = make_member(account, "agent")
    deactivated = make_member(account, "agent", status=MemberStatus.DEACTIVATED)
    invited = invite_people(
        actor=actor_for(owner), emails="invitee@example.com", role_id=builtin_role("agent").pk
    ).invited[0]
    custom_role = create_role(actor=actor_for(owner), name="Tier 2", permissions=["users.view"])
    _, _ = create_api_token(actor=actor_for(target), name="target's", scopes=["users.view"])
    agent_token, _ = create_api_token(
        actor=actor_for(members["agent"]), name="agent's own", scopes=["users.view"]
    )
    values = {
        "target": target.pk,
        "deactivated": deactivated.pk,
        "invited": invited.pk,
        "admin": members["admin"].pk,
        "custom_role": custom_role.pk,
        "agent_role": builtin_role("agent").pk,
        "supervisor_role": builtin_role("supervisor").pk,
        "agent_token": agent_token.pk,
        "invite_token": _invitation_secret("invitee@example.com"),
        **webhook_values(owner),
    }
    values.update(org_values(account, owner))
    for extension in _extensions():
        values.update(extension.scene_values(account, owner))
    return Scene(account=account, owner=owner, members=members, values=values)


# Areas that add matrix rows (tests/authz/matrix.d/<area>.yaml) give their "$name" values and
# setups in tests/<area>/matrix_scene.py: scene_values(account, owner) -> dict, and SETUPS.
EXTENSION_MODULES = [
    "tests.bulk.matrix_scene",
    "tests.mfa.matrix_scene",
    "tests.signin.matrix_scene",
    "tests.sso.matrix_scene",
    "tests.work.matrix_scene",
    "tests.governance.matrix_scene",
    "tests.scim.matrix_scene",
]


def _extensions():
    return [importlib.import_module(name) for name in EXTENSION_MODULES]


SETUPS = {
    "cancel_account": lambda scene: cancel_account(actor=actor_for(scene.owner)),
}
for _extension in _extensions():
    SETUPS.update(getattr(_extension, "SETUPS", {}))


def token_for(scene: Scene, caller: str) -> str:
    return _token_for(scene.members[caller])
