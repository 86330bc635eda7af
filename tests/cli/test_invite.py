import io

import pytest
from django.core.management.base import CommandError

from crewbase.access.actions import create_role
from crewbase.audit.models import ActivityEvent
from crewbase.core.models import OutboxMessage
from crewbase.org.models import Team
from crewbase.people.models import Member, MemberStatus
from tests.cli.commands import run
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


def invited_emails(account) -> list[str]:
    members = Member.objects.filter(account=account, status=MemberStatus.INVITED)
    return sorted(members.values_list("email", flat=True))


def test_invites_by_role_name_as_the_owner_with_a_team_and_sends_the_emails():
    account, owner = make_account()
    Team.objects.create(account=account, name="Billing")
    out, _ = run(
        "invite", "--account", str(account.pk), "--role", "agent", "--team", "billing",
        "ann@example.com", "Bob@Example.com,carl@example.com",
    )  # fmt: skip
    assert invited_emails(account) == ["ann@example.com", "bob@example.com", "carl@example.com"]
    assert "invited: bob@example.com as Agent" in out
    assert "3 invited, 0 skipped, 0 already invited" in out
    bob = Member.objects.get(account=account, email="bob@example.com")
    assert [t.name for t in bob.teams.all()] == ["Billing"]
    assert OutboxMessage.objects.filter(payload__to="bob@example.com").count() == 1
    event = ActivityEvent.objects.get(account=account, action="member.invited", target_id=bob.pk)
    assert event.actor_member_id == owner.pk
    assert event.user_agent == "crewbase-cli"


def test_reads_addresses_from_stdin_and_records_the_member_named_with_as(monkeypatch):
    account, _ = make_account()
    admin = make_member(account, "admin", email="admin@example.com")
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("dee@example.com\neve@example.com; DEE@example.com\n")
    )
    run("invite", "--account", str(account.pk), "--role", "Read-only", "--as", admin.email, "-")
    assert invited_emails(account) == ["dee@example.com", "eve@example.com"]
    actors = set(
        ActivityEvent.objects.filter(account=account, action="member.invited").values_list(
            "actor_member_id", flat=True
        )
    )
    assert actors == {admin.pk}


def test_reports_skipped_active_members_and_pending_invitations():
    account, _ = make_account()
    make_member(account, email="active@example.com")
    run("invite", "--account", str(account.pk), "--role", "agent", "pending@example.com")
    out, _ = run(
        "invite", "--account", str(account.pk), "--role", "agent",
        "active@example.com", "pending@example.com", "new@example.com",
    )  # fmt: skip
    assert "invited: new@example.com as Agent" in out
    assert "skipped: active@example.com (already an active member)" in out
    assert "resend offered: pending@example.com" in out
    assert OutboxMessage.objects.filter(payload__to="pending@example.com").count() == 1


def test_one_bad_address_rejects_the_batch_and_names_it():
    account, _ = make_account()
    with pytest.raises(CommandError) as failure:
        run("invite", "--account", str(account.pk), "--role", "agent", "ok@example.com", "bad@x")
    assert "bad@x: is not a valid email address" in str(failure.value)
    assert failure.value.returncode == 2
    assert invited_emails(account) == []
    assert not OutboxMessage.objects.exists()


def test_an_agent_acting_with_as_is_refused():
    account, _ = make_account()
    agent = make_member(account, "agent", email="agent@example.com")
    with pytest.raises(CommandError) as failure:
        run("invite", "--account", str(account.pk), "--role", "agent", "--as", agent.email,
            "x@example.com")  # fmt: skip
    assert "users.invite" in str(failure.value)
    assert invited_emails(account) == []


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--account", "999999", "--role", "agent"], "--account: no account with id '999999'"),
        (["--account", "abc", "--role", "agent"], "--account: no account with id 'abc'"),
        (["--role", "Wizard"], "--role: no role 'Wizard'"),
        (
            ["--role", "agent", "--as", "nobody@example.com"],
            "--as: nobody@example.com is not a member",
        ),
        (["--role", "agent", "--team", "Nope"], "--team: no team 'Nope'"),
    ],
)
def test_unknown_account_role_actor_or_team_is_a_plain_error(options, expected):
    account, _ = make_account()
    if options[0] != "--account":
        options = ["--account", str(account.pk), *options]
    with pytest.raises(CommandError) as failure:
        run("invite", *options, "x@example.com")
    assert expected in str(failure.value)
    assert invited_emails(account) == []


def test_a_role_of_another_account_cannot_be_named():
    account, _ = make_account()
    _other, other_owner = make_account()
    secret_role = create_role(actor=actor_for(other_owner), name="Secret", permissions=[])
    with pytest.raises(CommandError) as failure:
        run("invite", "--account", str(account.pk), "--role", str(secret_role.pk), "x@example.com")
    assert "--role: no role" in str(failure.value)
