"""Teams (ORG-1) and divisions (ORG-4): names, members, tenancy, permissions, activity."""

from __future__ import annotations

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import NotFound, PermissionDenied, ValidationFailed
from crewbase.org import actions, selectors
from crewbase.org.models import Division, Team
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db

KINDS = [
    (Team, actions.create_team, actions.add_team_members, actions.remove_team_members, "team"),
    (
        Division,
        actions.create_division,
        actions.add_division_members,
        actions.remove_division_members,
        "division",
    ),
]


def _bind(add_or_remove, kind):
    return lambda actor, group, ids: add_or_remove(actor=actor, **{kind: group}, member_ids=ids)


@pytest.fixture
def admin():
    _account, owner = make_account()
    return actor_for(owner)


@pytest.mark.parametrize(("model", "create", "add", "remove", "kind"), KINDS)
def test_names_are_unique_per_account_ignoring_case(admin, model, create, add, remove, kind):
    create(actor=admin, name="  Billing  ", description="Money questions")
    with pytest.raises(ValidationFailed) as refused:
        create(actor=admin, name="BILLING")
    assert refused.value.errors == {
        "name": f"a {kind} named 'BILLING' already exists in this account"
    }
    assert model.objects.filter(account=admin.account).count() == 1
    assert model.objects.get(account=admin.account).name == "Billing"

    # Another account may use the same name.
    _, other_owner = make_account()
    create(actor=actor_for(other_owner), name="billing")


@pytest.mark.parametrize(("model", "create", "add", "remove", "kind"), KINDS)
def test_blank_or_overlong_names_and_descriptions_are_refused(
    admin, model, create, add, remove, kind
):
    for bad in ("", "   ", "x" * 121, None, 5):
        with pytest.raises(ValidationFailed) as refused:
            create(actor=admin, name=bad)
        assert set(refused.value.errors) == {"name"}
    with pytest.raises(ValidationFailed) as refused:
        create(actor=admin, name="Ok", description="d" * 501)
    assert set(refused.value.errors) == {"description"}
    assert not model.objects.filter(account=admin.account).exists()


def test_rename_and_describe_keep_uniqueness_and_record_the_change(admin):
    support = actions.create_team(actor=admin, name="Support")
    actions.create_team(actor=admin, name="Sales")
    with pytest.raises(ValidationFailed) as refused:
        actions.update_team(actor=admin, team=support, name="sales")
    assert set(refused.value.errors) == {"name"}

    # Renaming to another casing of its own name is allowed.
    actions.update_team(actor=admin, team=support, name="SUPPORT", description="Tier 1")
    support.refresh_from_db()
    assert (support.name, support.description) == ("SUPPORT", "Tier 1")
    event = ActivityEvent.objects.get(account=admin.account, action="team.updated")
    assert event.before == {"name": "Support", "description": ""}
    assert event.after == {"name": "SUPPORT", "description": "Tier 1"}


@pytest.mark.parametrize(("model", "create", "add", "remove", "kind"), KINDS)
def test_members_are_added_and_removed_and_counted(admin, model, create, add, remove, kind):
    group = create(actor=admin, name="Night shift")
    first, second = make_member(admin.account), make_member(admin.account)
    add, remove = _bind(add, kind), _bind(remove, kind)

    assert [m.pk for m in add(admin, group, [first.pk, second.pk])] == [first.pk, second.pk]
    # Adding again changes nothing and records nothing.
    assert add(admin, group, [first.pk]) == []
    listed = {g.name: g.member_count for g in selectors.list_of(model, admin)}
    assert listed == {"Night shift": 2}

    assert [m.pk for m in remove(admin, group, [first.pk])] == [first.pk]
    assert list(group.members.all()) == [second]
    assert ActivityEvent.objects.filter(action=f"{kind}.members_added").count() == 1
    assert ActivityEvent.objects.filter(action=f"{kind}.members_removed").count() == 1


@pytest.mark.parametrize(("model", "create", "add", "remove", "kind"), KINDS)
def test_another_accounts_member_is_refused_and_nothing_is_added(
    admin, model, create, add, remove, kind
):
    group = create(actor=admin, name="Core")
    mine = make_member(admin.account)
    other_account, _ = make_account()
    stranger = make_member(other_account)
    with pytest.raises(ValidationFailed) as refused:
        _bind(add, kind)(admin, group, [mine.pk, stranger.pk])
    assert refused.value.errors == {"member_ids": f"no such member in this account: {stranger.pk}"}
    assert group.members.count() == 0


@pytest.mark.parametrize(("model", "create", "add", "remove", "kind"), KINDS)
def test_agents_may_read_but_not_change(admin, model, create, add, remove, kind):
    group = create(actor=admin, name="Escalations")
    agent = actor_for(make_member(admin.account, "agent"))
    with pytest.raises(PermissionDenied):
        create(actor=agent, name="Mine")
    with pytest.raises(PermissionDenied):
        _bind(add, kind)(agent, group, [agent.member.pk])
    assert [g.name for g in selectors.list_of(model, agent)] == ["Escalations"]


def test_another_account_cannot_touch_or_see_a_team(admin):
    team = actions.create_team(actor=admin, name="Private")
    _, other_owner = make_account()
    outsider = actor_for(other_owner)
    with pytest.raises(NotFound):
        actions.delete_team(actor=outsider, team=team)
    with pytest.raises(NotFound):
        selectors.one_of(Team, outsider, team.pk)
    assert selectors.list_of(Team, outsider) == []
    assert Team.objects.filter(pk=team.pk).exists()


def test_deleting_a_team_keeps_its_members_and_is_recorded(admin):
    team = actions.create_team(actor=admin, name="Temporary")
    member = make_member(admin.account)
    actions.add_team_members(actor=admin, team=team, member_ids=[member.pk])
    actions.delete_team(actor=admin, team=team)
    assert not Team.objects.filter(pk=team.pk).exists()
    member.refresh_from_db()
    event = ActivityEvent.objects.get(action="team.deleted")
    assert event.before == {"name": "Temporary", "members": 1}
