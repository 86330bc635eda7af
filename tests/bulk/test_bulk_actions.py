"""Bulk actions (LIST-3): preview, per-row results, safe to run twice, refusals per row."""

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.bulk.actions import preview_bulk_action, start_bulk_action
from crewbase.bulk.models import JobStatus, RowOutcome
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.org.models import MemberSkill, Skill, Team
from crewbase.people.actions import limits
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


def outcomes(job):
    return {row.email: (row.outcome, row.message) for row in job.rows.all()}


def test_change_role_previews_runs_and_changes_nothing_the_second_time():
    account, owner = make_account()
    agents = [make_member(account, "agent") for _ in range(3)]
    admin_role = builtin_role("admin")
    actor = actor_for(owner)
    ids = [m.pk for m in agents] + [owner.pk]
    params = {"role": admin_role.pk}

    preview = preview_bulk_action(actor=actor, action="change_role", params=params, member_ids=ids)
    assert preview.total == 4
    assert preview.counts == {"change": 3, "unchanged": 1, "skip": 0}
    assert {r.email: r.outcome for r in preview.rows}[owner.email] == "unchanged"
    assert Member.objects.filter(role=admin_role, account=account).count() == 1  # nothing yet

    job = start_bulk_action(actor=actor, action="change_role", params=params, member_ids=ids)
    assert job.status == JobStatus.DONE
    assert (job.changed, job.unchanged, job.skipped, job.failed) == (3, 1, 0, 0)
    assert outcomes(job)[agents[0].email] == (RowOutcome.CHANGED, "role Agent → Admin")
    events = ActivityEvent.objects.filter(account=account, action="member.role_changed")
    assert events.count() == 3

    again = start_bulk_action(actor=actor, action="change_role", params=params, member_ids=ids)
    assert (again.changed, again.unchanged) == (0, 4)
    assert {o for o, _ in outcomes(again).values()} == {RowOutcome.UNCHANGED}
    assert events.count() == 3


def test_a_filter_that_matches_the_owner_skips_the_owner_with_the_reason():
    account, owner = make_account()
    agent = make_member(account, "agent")
    actor = actor_for(owner)
    preview = preview_bulk_action(actor=actor, action="deactivate", filter={"status": "active"})
    by_email = {r.email: r for r in preview.rows}
    assert by_email[owner.email].outcome == "skip"
    assert by_email[owner.email].message == "the owner cannot be deactivated"
    assert by_email[agent.email].outcome == "change"

    job = start_bulk_action(actor=actor, action="deactivate", filter={"status": "active"})
    rows = outcomes(job)
    assert rows[owner.email][0] == RowOutcome.SKIPPED
    assert "owner cannot be deactivated" in rows[owner.email][1]
    assert rows[agent.email][0] == RowOutcome.CHANGED
    owner.refresh_from_db()
    agent.refresh_from_db()
    assert owner.status == MemberStatus.ACTIVE
    assert agent.status == MemberStatus.DEACTIVATED


def test_agent_access_on_stops_at_the_last_free_seat_and_says_so():
    account, owner = make_account()
    account.paid_agent_seats = 2  # with the free one, 3 seats; the owner holds one
    account.save()
    assert limits.agent_seats_left(account) == 2
    members = [make_member(account, "agent") for _ in range(4)]
    actor = actor_for(owner)
    ids = [m.pk for m in members]
    preview = preview_bulk_action(actor=actor, action="agent_access_on", member_ids=ids)
    assert preview.counts["change"] == 2 and preview.counts["skip"] == 2
    assert preview.rows[-1].message.startswith("no agent seat left (3 of 3 used)")

    job = start_bulk_action(actor=actor, action="agent_access_on", member_ids=ids)
    assert (job.changed, job.skipped) == (2, 2)
    skipped = [m for o, m in outcomes(job).values() if o == RowOutcome.SKIPPED]
    assert all(m.startswith("no agent seat left") for m in skipped)


def test_team_add_and_remove_and_skill_with_level():
    account, owner = make_account()
    members = [make_member(account, "agent") for _ in range(2)]
    team = Team.objects.create(account=account, name="Tier 1")
    team.members.add(members[0])
    skill = Skill.objects.create(account=account, name="Spanish", level_required=True)
    actor = actor_for(owner)
    ids = [m.pk for m in members]

    preview = preview_bulk_action(
        actor=actor, action="add_to_team", params={"team": team.pk}, member_ids=ids
    )
    assert [r.message for r in preview.rows] == ["already in team Tier 1", "added to team Tier 1"]
    job = start_bulk_action(
        actor=actor, action="add_to_team", params={"team": team.pk}, member_ids=ids
    )
    assert (job.changed, job.unchanged) == (1, 1)
    assert team.members.count() == 2
    job = start_bulk_action(
        actor=actor, action="remove_from_team", params={"team": str(team.pk)}, member_ids=ids
    )
    assert (job.changed, job.unchanged) == (2, 0)
    assert team.members.count() == 0

    job = start_bulk_action(
        actor=actor, action="add_skill", params={"skill": skill.pk, "level": 40}, member_ids=ids
    )
    assert job.changed == 2
    assert set(MemberSkill.objects.filter(skill=skill).values_list("level", flat=True)) == {40}


@pytest.mark.parametrize("level", [0, 101, "high", None])
def test_a_skill_level_outside_the_range_is_refused_before_anything_runs(level):
    account, owner = make_account()
    member = make_member(account, "agent")
    skill = Skill.objects.create(
        account=account, name="French", level_required=True, min_level=1, max_level=100
    )
    with pytest.raises(ValidationFailed) as refusal:
        start_bulk_action(
            actor=actor_for(owner),
            action="add_skill",
            params={"skill": skill.pk, "level": level},
            member_ids=[member.pk],
        )
    assert "from 1 to 100" in refusal.value.errors["level"]
    assert not MemberSkill.objects.exists()


def test_bad_selection_and_parameters_name_the_field():
    _account, owner = make_account()
    _other_account, other_owner = make_account()
    actor = actor_for(owner)
    cases = [
        ({"action": "explode", "member_ids": [owner.pk]}, "action"),
        ({"action": "deactivate", "member_ids": [other_owner.pk]}, "member_ids"),
        ({"action": "deactivate", "member_ids": ["x"]}, "member_ids"),
        ({"action": "deactivate"}, "member_ids"),
        ({"action": "deactivate", "filter": {"status": "sleeping"}}, "status"),
        ({"action": "deactivate", "filter": {"colour": "red"}}, "colour"),
        ({"action": "change_role", "params": {"role": 999999}, "member_ids": [owner.pk]}, "role"),
        ({"action": "add_to_team", "params": {"team": "nope"}, "member_ids": [owner.pk]}, "team"),
        (
            {"action": "deactivate", "params": {"reason": "bored"}, "member_ids": [owner.pk]},
            "reason",
        ),
        ({"action": "deactivate", "filter": {"q": "no such person anywhere"}}, "filter"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationFailed) as refusal:
            preview_bulk_action(actor=actor, **kwargs)
        assert field in refusal.value.errors, (kwargs, refusal.value.errors)


def test_an_agent_cannot_start_a_bulk_action():
    account, owner = make_account()
    agent = make_member(account, "agent")
    with pytest.raises(PermissionDenied):
        preview_bulk_action(actor=actor_for(agent), action="deactivate", member_ids=[owner.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "-1", "x", True, "foreign"])
def test_a_team_or_skill_id_that_is_odd_or_of_another_account_is_refused_by_name(raw):
    account, owner = make_account()
    other, _ = make_account()
    foreign_team = Team.objects.create(account=other, name="Theirs")
    foreign_skill = Skill.objects.create(account=other, name="Theirs")
    agent = make_member(account, "agent")
    actor = actor_for(owner)
    for action, field, foreign in (
        ("add_to_team", "team", foreign_team),
        ("add_skill", "skill", foreign_skill),
    ):
        value = foreign.pk if raw == "foreign" else raw
        with pytest.raises(ValidationFailed) as refused:
            preview_bulk_action(
                actor=actor, action=action, params={field: value}, member_ids=[agent.pk]
            )
        assert field in refused.value.errors


@pytest.mark.django_db
def test_a_skill_level_in_other_digits_is_refused_by_name():
    account, owner = make_account()
    skill = Skill.objects.create(account=account, name="German", min_level=1, max_level=100)
    agent = make_member(account, "agent")
    with pytest.raises(ValidationFailed) as refused:
        preview_bulk_action(
            actor=actor_for(owner),
            action="add_skill",
            params={"skill": skill.pk, "level": "²"},
            member_ids=[agent.pk],
        )
    assert "level" in refused.value.errors
