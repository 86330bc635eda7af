"""The four ways email one-time codes switch on for a member (AUTH-5), each through the real
action: joining in such a role, a role change into one, the account leaving its trial, and
broadcast granted to agents. The requirement is read from the policy at each sign-in."""

import pytest

from crewbase.access.actions import create_role, update_role
from crewbase.accounts.models import Account, Plan
from crewbase.mfa.requirements import email_code_required, member_needing_email_code
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.invitations import accept_invitation, invite_people
from crewbase.people.models import Member
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.mfa.helpers import new_client, set_policy, sign_in
from tests.people.scenes import invitation_token

pytestmark = pytest.mark.django_db

CODE_PAGE = "/two-factor/email-code/"


def _fresh(member) -> Member:
    return Member.objects.select_related("account", "role", "person").get(pk=member.pk)


def _asks_for_a_code(member) -> bool:
    return sign_in(new_client(), member.email)["Location"] == CODE_PAGE


def test_joining_in_such_a_role_switches_it_on():
    _account, owner = make_account()
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])
    invite_people(
        actor=actor_for(owner), emails="sam@example.com", role_id=builtin_role("supervisor").pk
    )
    member = accept_invitation(
        token=invitation_token("sam@example.com"),
        first_name="Sam",
        last_name="Super",
        password="quiet lantern over harbour",
    )
    assert email_code_required(_fresh(member))
    client = new_client()
    response = client.post(
        "/accounts/login/", {"login": "sam@example.com", "password": "quiet lantern over harbour"}
    )
    assert response["Location"] == CODE_PAGE


def test_a_role_change_into_such_a_role_switches_it_on():
    account, owner = make_account()
    set_policy(owner, email_otp_role_ids=[builtin_role("admin").pk])
    agent = make_member(account, "agent")
    assert not email_code_required(_fresh(agent))
    assert not _asks_for_a_code(agent)
    change_role(actor=actor_for(owner), member=agent, role_id=builtin_role("admin").pk)
    assert email_code_required(_fresh(agent))
    assert _asks_for_a_code(agent)


def test_moving_from_trial_to_a_paid_plan_switches_it_on():
    account, owner = make_account(plan=Plan.TRIAL)
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])
    supervisor = make_member(account, "supervisor")
    assert not _asks_for_a_code(supervisor)
    # No plan-change action exists yet (billing is a page of seats); the plan field is the
    # fact the requirement reads, whichever action later writes it.
    Account.objects.filter(pk=account.pk).update(plan=Plan.BUSINESS)
    assert email_code_required(_fresh(supervisor))
    assert _asks_for_a_code(supervisor)


def test_enabling_broadcast_for_all_agents_switches_it_on():
    account, owner = make_account()
    set_policy(owner, email_otp_broadcast_agents=True)
    agents_role = create_role(
        actor=actor_for(owner), name="Agents", permissions=["users.view"], description=""
    )
    agent = make_member(account, agents_role, agent_access=True)
    not_an_agent = make_member(account, agents_role, agent_access=False)
    assert member_needing_email_code(agent.person) is None
    update_role(
        actor=actor_for(owner), role=agents_role, permissions=["users.view", "broadcast.send"]
    )
    assert member_needing_email_code(agent.person) == agent
    assert _asks_for_a_code(agent)
    assert not _asks_for_a_code(not_an_agent)


def test_a_role_change_out_of_such_a_role_switches_it_off():
    account, owner = make_account()
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])
    supervisor = make_member(account, "supervisor")
    change_role(actor=actor_for(owner), member=supervisor, role_id=builtin_role("agent").pk)
    assert not _asks_for_a_code(supervisor)
