"""Built-in and custom roles, and no privilege escalation (ROLE-1 … ROLE-4)."""

import pytest

from crewbase.access.actions import create_role, delete_role, update_role
from crewbase.access.models import Role
from crewbase.access.permissions import BUILTIN_ROLES
from crewbase.access.policy import member_permissions
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.people.scenes import events

pytestmark = pytest.mark.django_db

MANAGER_PERMISSIONS = ["users.view", "users.invite", "users.manage", "roles.manage"]


def fresh(member) -> Member:
    return Member.objects.select_related("role").get(pk=member.pk)


@pytest.fixture
def manager_scene():
    """A manager with users.manage and roles.manage but not billing.manage."""
    account, owner = make_account()
    manager_role = create_role(
        actor=actor_for(owner), name="Manager", permissions=MANAGER_PERMISSIONS
    )
    manager = make_member(account, manager_role)
    return account, owner, manager


@pytest.mark.parametrize("key", sorted(BUILTIN_ROLES))
def test_builtin_roles_cannot_be_edited_or_deleted(key):
    _account, owner = make_account()
    role = builtin_role(key)
    with pytest.raises(Conflict):
        update_role(actor=actor_for(owner), role=role, name="Renamed")
    with pytest.raises(Conflict):
        update_role(actor=actor_for(owner), role=role, permissions=[])
    with pytest.raises(Conflict):
        delete_role(actor=actor_for(owner), role=role)
    assert Role.objects.get(pk=role.pk).name == BUILTIN_ROLES[key]["name"]
    assert Role.objects.get(pk=role.pk).permissions == BUILTIN_ROLES[key]["permissions"]


@pytest.mark.parametrize("name", ["tier 2", "TIER 2", "  Tier 2  ", "admin", "AGENT", "read-ONLY"])
def test_role_names_are_unique_case_insensitively_including_builtin_names(name):
    account, owner = make_account()
    create_role(actor=actor_for(owner), name="Tier 2", permissions=["users.view"])
    with pytest.raises(ValidationFailed) as refused:
        create_role(actor=actor_for(owner), name=name, permissions=[])
    assert set(refused.value.errors) == {"name"}
    assert "already exists" in refused.value.errors["name"]
    assert Role.objects.filter(account=account).count() == 1


def test_the_same_name_is_fine_in_another_account():
    _, owner_a = make_account()
    _, owner_b = make_account()
    create_role(actor=actor_for(owner_a), name="Tier 2", permissions=[])
    create_role(actor=actor_for(owner_b), name="tier 2", permissions=[])


def test_renaming_onto_another_roles_name_is_refused_and_keeping_your_own_is_fine():
    _account, owner = make_account()
    actor = actor_for(owner)
    create_role(actor=actor, name="Tier 1", permissions=[])
    tier2 = create_role(actor=actor, name="Tier 2", permissions=[])
    with pytest.raises(ValidationFailed):
        update_role(actor=actor, role=tier2, name="TIER 1")
    update_role(actor=actor, role=tier2, name="tier 2")
    assert Role.objects.get(pk=tier2.pk).name == "tier 2"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "permissions": []}, "name"),
        ({"name": "x" * 81, "permissions": []}, "name"),
        ({"name": "Ok", "permissions": ["tickets.fly"]}, "permissions"),
        ({"name": "Ok", "permissions": "users.view"}, "permissions"),
        ({"name": "Ok", "permissions": [], "description": "d" * 301}, "description"),
    ],
)
def test_bad_role_input_names_the_field(kwargs, field):
    account, owner = make_account()
    with pytest.raises(ValidationFailed) as refused:
        create_role(actor=actor_for(owner), **kwargs)
    assert field in refused.value.errors
    assert not Role.objects.filter(account=account).exists()


def test_clone_copies_the_permissions_of_a_builtin_or_custom_role():
    account, owner = make_account()
    actor = actor_for(owner)
    clone = create_role(
        actor=actor, name="Senior agent", permissions=None, clone_of=builtin_role("supervisor").pk
    )
    assert clone.permissions == BUILTIN_ROLES["supervisor"]["permissions"]
    assert clone.account_id == account.pk
    second = create_role(actor=actor, name="Second", permissions=None, clone_of=clone.pk)
    assert second.permissions == clone.permissions
    assert events(account, "role.created")[-1].after["permissions"] == clone.permissions


def test_cloning_a_role_of_another_account_is_refused_naming_clone_of():
    _, other_owner = make_account()
    foreign = create_role(actor=actor_for(other_owner), name="Secret", permissions=["users.view"])
    _account, owner = make_account()
    with pytest.raises(ValidationFailed) as refused:
        create_role(actor=actor_for(owner), name="Copy", permissions=None, clone_of=foreign.pk)
    assert set(refused.value.errors) == {"clone_of"}


def test_no_escalation_through_a_new_or_edited_role(manager_scene):
    account, _owner, manager = manager_scene
    actor = actor_for(manager)
    with pytest.raises(PermissionDenied) as refused:
        create_role(actor=actor, name="Payer", permissions=["users.view", "billing.manage"])
    assert refused.value.errors == {"permissions": "you do not hold: billing.manage"}
    with pytest.raises(PermissionDenied):
        create_role(
            actor=actor, name="Admin copy", permissions=None, clone_of=builtin_role("admin").pk
        )
    mine = create_role(actor=actor, name="Helper", permissions=["users.view"])
    with pytest.raises(PermissionDenied):
        update_role(actor=actor, role=mine, permissions=["users.view", "security.manage"])
    assert Role.objects.get(pk=mine.pk).permissions == ["users.view"]
    assert {r.name for r in Role.objects.filter(account=account)} == {"Manager", "Helper"}


def test_no_escalation_through_an_invitation(manager_scene):
    account, _owner, manager = manager_scene
    with pytest.raises(PermissionDenied) as refused:
        invite_people(
            actor=actor_for(manager), emails="x@example.com", role_id=builtin_role("admin").pk
        )
    assert set(refused.value.errors) == {"role"}
    assert not Member.objects.filter(account=account, email="x@example.com").exists()
    invite_people(
        actor=actor_for(manager), emails="x@example.com", role_id=builtin_role("agent").pk
    )


def test_no_escalation_through_a_role_change(manager_scene):
    account, _owner, manager = manager_scene
    admin = make_member(account, "admin")
    agent = make_member(account, "agent")
    actor = actor_for(manager)
    # Cannot lift someone to a role holding more than the manager holds …
    with pytest.raises(PermissionDenied):
        change_role(actor=actor, member=agent, role_id=builtin_role("admin").pk)
    # … nor change the role of someone who holds more (taking Admin away is an escalation too).
    with pytest.raises(PermissionDenied):
        change_role(actor=actor, member=admin, role_id=builtin_role("agent").pk)
    # … nor give themselves more.
    with pytest.raises(PermissionDenied):
        change_role(actor=actor, member=manager, role_id=builtin_role("admin").pk)
    assert fresh(admin).role.builtin_key == "admin"
    assert fresh(agent).role.builtin_key == "agent"
    assert fresh(manager).role.name == "Manager"
    # Within what the manager holds, the change goes through.
    helper = create_role(actor=actor, name="Helper", permissions=["users.view", "users.invite"])
    change_role(actor=actor, member=agent, role_id=helper.pk)
    assert fresh(agent).role.pk == helper.pk


def test_members_without_roles_manage_cannot_touch_roles():
    account, owner = make_account()
    supervisor = make_member(account, "supervisor")
    role = create_role(actor=actor_for(owner), name="Tier 2", permissions=[])
    with pytest.raises(PermissionDenied):
        create_role(actor=actor_for(supervisor), name="Mine", permissions=[])
    with pytest.raises(PermissionDenied):
        update_role(actor=actor_for(supervisor), role=role, name="Mine")
    with pytest.raises(PermissionDenied):
        delete_role(actor=actor_for(supervisor), role=role)


def test_a_role_in_use_cannot_be_deleted_even_by_a_deactivated_holder():
    account, owner = make_account()
    actor = actor_for(owner)
    role = create_role(actor=actor, name="Tier 2", permissions=["users.view"])
    make_member(account, role, status=MemberStatus.DEACTIVATED)
    with pytest.raises(Conflict) as refused:
        delete_role(actor=actor, role=role)
    assert refused.value.errors == {"role": "held by 1 member(s)"}
    assert Role.objects.filter(pk=role.pk).exists()
    unused = create_role(actor=actor, name="Unused", permissions=[])
    delete_role(actor=actor, role=unused)
    assert not Role.objects.filter(pk=unused.pk).exists()
    deleted = events(account, "role.deleted")[-1]
    assert deleted.target_id == unused.pk and deleted.before["name"] == "Unused"


@pytest.mark.parametrize("role_id", ["foreign", 99999999, "abc", None])
def test_a_role_id_from_elsewhere_is_refused_naming_role(role_id):
    _, other_owner = make_account()
    foreign = create_role(actor=actor_for(other_owner), name="Theirs", permissions=[])
    account, owner = make_account()
    agent = make_member(account, "agent")
    role_id = foreign.pk if role_id == "foreign" else role_id
    with pytest.raises(ValidationFailed) as on_change:
        change_role(actor=actor_for(owner), member=agent, role_id=role_id)
    assert set(on_change.value.errors) == {"role"}
    with pytest.raises(ValidationFailed) as on_invite:
        invite_people(actor=actor_for(owner), emails="x@example.com", role_id=role_id)
    assert set(on_invite.value.errors) == {"role"}
    assert fresh(agent).role.builtin_key == "agent"
    assert not Member.objects.filter(email="x@example.com").exists()


def test_a_role_change_takes_effect_at_once_and_bumps_the_access_version():
    account, owner = make_account()
    agent = make_member(account, "agent")
    version = agent.access_version
    assert "users.manage" not in member_permissions(fresh(agent))
    change_role(actor=actor_for(owner), member=agent, role_id=builtin_role("admin").pk)
    agent = fresh(agent)
    assert "users.manage" in member_permissions(agent)
    assert agent.access_version == version + 1
    event = events(account, "member.role_changed")[-1]
    assert event.before == {"role": "Agent"} and event.after == {"role": "Admin"}


def test_editing_a_roles_permissions_reaches_its_holders_at_once():
    account, owner = make_account()
    actor = actor_for(owner)
    role = create_role(actor=actor, name="Tier 2", permissions=["users.view"])
    holder = make_member(account, role)
    version = holder.access_version
    update_role(actor=actor, role=role, permissions=["users.view", "data.export"])
    holder = fresh(holder)
    assert "data.export" in member_permissions(holder)
    assert holder.access_version == version + 1
    event = events(account, "role.updated")[-1]
    assert event.before == {"permissions": ["users.view"]}
    assert event.after == {"permissions": ["data.export", "users.view"]}
