"""Skills (ORG-2): definition, levels inside the range, assignment, bulk-add."""

from __future__ import annotations

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.org import skill_actions
from crewbase.org.models import MemberSkill, Skill
from crewbase.people.models import MemberStatus
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    _, owner = make_account()
    return actor_for(owner)


@pytest.fixture
def spanish(admin):
    return skill_actions.create_skill(
        actor=admin, name="Spanish", level_required=True, min_level=10, max_level=50
    )


def test_skill_names_are_unique_ignoring_case(admin, spanish):
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.create_skill(actor=admin, name="spanish")
    assert set(refused.value.errors) == {"name"}


@pytest.mark.parametrize(
    ("min_level", "max_level", "field"),
    [(0, 10, "min_level"), (1, 101, "max_level"), (60, 50, "max_level"), ("1", 5, "min_level")],
)
def test_the_level_range_must_lie_within_1_to_100(admin, min_level, max_level, field):
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.create_skill(
            actor=admin, name="French", min_level=min_level, max_level=max_level
        )
    assert field in refused.value.errors
    assert not Skill.objects.filter(account=admin.account).exists()


@pytest.mark.parametrize("level", [0, 101, "high", 9, 51, None, True, 2.5])
def test_levels_outside_the_range_are_refused_with_the_range(admin, spanish, level):
    member = make_member(admin.account)
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.assign_skill(actor=admin, member=member, skill_id=spanish.pk, level=level)
    assert set(refused.value.errors) == {"level"}
    assert "from 10 to 50" in refused.value.errors["level"]
    assert not MemberSkill.objects.filter(member=member).exists()


def test_assign_then_change_level_then_remove(admin, spanish):
    member = make_member(admin.account)
    skill_actions.assign_skill(actor=admin, member=member, skill_id=spanish.pk, level=10)
    skill_actions.assign_skill(actor=admin, member=member, skill_id=spanish.pk, level=50)
    assert MemberSkill.objects.get(member=member).level == 50
    events = ActivityEvent.objects.filter(action="skill.assigned").order_by("seq")
    assert [e.after["level"] for e in events] == [10, 50]
    assert events[1].before == {"skill": "Spanish", "level": 10}

    assert skill_actions.remove_skill(actor=admin, member=member, skill_id=spanish.pk) is True
    assert skill_actions.remove_skill(actor=admin, member=member, skill_id=spanish.pk) is False
    assert not MemberSkill.objects.filter(member=member).exists()
    assert ActivityEvent.objects.filter(action="skill.removed").count() == 1


def test_a_skill_without_required_level_may_be_assigned_without_one(admin):
    skill = skill_actions.create_skill(actor=admin, name="Chat")
    member = make_member(admin.account)
    assignment = skill_actions.assign_skill(actor=admin, member=member, skill_id=skill.pk)
    assert assignment.level is None


def test_another_accounts_skill_cannot_be_assigned(admin, spanish):
    _, other_owner = make_account()
    outsider = actor_for(other_owner)
    their_member = make_member(outsider.account)
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.assign_skill(
            actor=outsider, member=their_member, skill_id=spanish.pk, level=20
        )
    assert refused.value.errors == {"skill_id": "no such skill in this account"}


def test_agents_cannot_define_or_assign_skills(admin, spanish):
    agent = actor_for(make_member(admin.account, "agent"))
    with pytest.raises(PermissionDenied):
        skill_actions.create_skill(actor=agent, name="Mine")
    with pytest.raises(PermissionDenied):
        skill_actions.assign_skill(actor=agent, member=agent.member, skill_id=spanish.pk, level=20)


def test_bulk_assign_reports_each_member_and_is_all_or_nothing(admin, spanish):
    fresh, holder, same = (make_member(admin.account) for _ in range(3))
    skill_actions.assign_skill(actor=admin, member=holder, skill_id=spanish.pk, level=10)
    skill_actions.assign_skill(actor=admin, member=same, skill_id=spanish.pk, level=30)

    outcomes = skill_actions.bulk_assign_skill(
        actor=admin, skill=spanish, member_ids=[fresh.pk, holder.pk, same.pk], level=30
    )
    assert {o.member.pk: o.result for o in outcomes} == {
        fresh.pk: "assigned",
        holder.pk: "updated",
        same.pk: "unchanged",
    }
    assert set(MemberSkill.objects.filter(skill=spanish).values_list("level", flat=True)) == {30}
    event = ActivityEvent.objects.get(action="skill.bulk_assigned")
    assert event.after == {"level": 30, "count": 2, "members": [fresh.email, holder.email]}

    # One stray id (another account's member) and nothing is applied.
    other, _ = make_account()
    stranger = make_member(other)
    newcomer = make_member(admin.account)
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.bulk_assign_skill(
            actor=admin, skill=spanish, member_ids=[newcomer.pk, stranger.pk], level=20
        )
    assert set(refused.value.errors) == {"member_ids"}
    assert not MemberSkill.objects.filter(member=newcomer).exists()

    with pytest.raises(ValidationFailed) as refused:
        skill_actions.bulk_assign_skill(
            actor=admin, skill=spanish, member_ids=[newcomer.pk], level=101
        )
    assert "from 10 to 50" in refused.value.errors["level"]
    assert not MemberSkill.objects.filter(member=newcomer).exists()


def test_bulk_assign_to_all_takes_every_active_member(admin):
    skill = skill_actions.create_skill(actor=admin, name="Email")
    active = make_member(admin.account)
    gone = make_member(admin.account, status=MemberStatus.DEACTIVATED)
    outcomes = skill_actions.bulk_assign_skill(actor=admin, skill=skill, all_members=True)
    assigned = {o.member.pk for o in outcomes}
    assert active.pk in assigned and admin.member.pk in assigned
    assert gone.pk not in assigned


def test_changing_a_skill_keeps_current_holders_inside_the_range(admin, spanish):
    member = make_member(admin.account)
    skill_actions.assign_skill(actor=admin, member=member, skill_id=spanish.pk, level=40)

    with pytest.raises(ValidationFailed) as refused:
        skill_actions.update_skill(actor=admin, skill=spanish, max_level=30)
    assert "outside 10 to 30" in refused.value.errors["min_level"]
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.update_skill(actor=admin, skill=spanish, min_level=60)
    assert set(refused.value.errors) == {"max_level"}
    spanish.refresh_from_db()
    assert (spanish.min_level, spanish.max_level) == (10, 50)

    skill_actions.update_skill(actor=admin, skill=spanish, name="Spanish (LatAm)", max_level=45)
    spanish.refresh_from_db()
    assert (spanish.name, spanish.max_level) == ("Spanish (LatAm)", 45)
    event = ActivityEvent.objects.get(action="skill.updated")
    assert event.before["max_level"] == 50 and event.after["max_level"] == 45


def test_requiring_a_level_is_refused_while_someone_holds_it_without_one(admin):
    skill = skill_actions.create_skill(actor=admin, name="Phone")
    member = make_member(admin.account)
    skill_actions.assign_skill(actor=admin, member=member, skill_id=skill.pk)
    with pytest.raises(ValidationFailed) as refused:
        skill_actions.update_skill(actor=admin, skill=skill, level_required=True)
    assert set(refused.value.errors) == {"level_required"}
    skill.refresh_from_db()
    assert skill.level_required is False
