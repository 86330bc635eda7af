import pytest

from crewbase.access.models import Role
from crewbase.accounts.models import Account
from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import verify_chain
from crewbase.cli import demo
from crewbase.core.models import OutboxMessage
from crewbase.org.models import Division, Macro, Queue, SavedView, Team, Ticket
from crewbase.people.actions import limits
from crewbase.people.models import Invitation, Member, MemberStatus
from tests.cli.commands import run

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "accounts": Account.objects.count(),
        "members": Member.objects.count(),
        "active": Member.objects.filter(status=MemberStatus.ACTIVE).count(),
        "invited": Member.objects.filter(status=MemberStatus.INVITED).count(),
        "invitations": Invitation.objects.count(),
        "roles": Role.objects.count(),
        "teams": Team.objects.count(),
        "divisions": Division.objects.count(),
        "queues": Queue.objects.count(),
        "tickets": Ticket.objects.count(),
        "macros": Macro.objects.count(),
        "saved_views": SavedView.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "activity": ActivityEvent.objects.count(),
    }


def test_demo_builds_the_acme_scene_and_running_it_twice_adds_nothing():
    out, _ = run("demo")
    first = snapshot()
    out_again, err_again = run("demo")
    assert snapshot() == first
    assert "nothing added" in err_again
    assert out_again == out

    account = Account.objects.get(name="Acme Support")
    assert (account.plan, account.user_limit, account.paid_agent_seats) == ("team", 50, 4)
    members = Member.objects.filter(account=account)
    roles = sorted(members.filter(status="active").values_list("role__builtin_key", flat=True))
    assert roles.count("admin") == 3  # the owner and two admins
    assert roles.count("supervisor") == roles.count("editor") == roles.count("read_only") == 1
    assert roles.count("agent") >= 4
    assert members.get(is_owner=True).email == demo.OWNER_EMAIL
    assert limits.agent_seats_used(account) <= account.agent_seat_total
    assert sorted(Team.objects.filter(account=account).values_list("name", flat=True)) == [
        "Billing",
        "Technical",
        "VIP",
    ]
    assert sorted(Division.objects.filter(account=account).values_list("name", flat=True)) == [
        "APAC",
        "EMEA",
    ]
    for queue in Queue.objects.filter(account=account):
        assert queue.members.exists()
        assert all(m.agent_access and m.status == "active" for m in queue.members.all())
    assert Ticket.objects.filter(account=account, assignee__isnull=False).exists()
    assert Macro.objects.filter(account=account).exists()
    assert SavedView.objects.filter(account=account).exists()
    assert verify_chain(account) == (True, None)


def test_demo_invitations_go_through_the_outbox_and_members_can_sign_in(client):
    out, _ = run("demo")
    account = Account.objects.get(name="Acme Support")
    pending = Invitation.objects.filter(account=account, status="pending")
    assert pending.count() == 3
    invited = sorted(pending.values_list("email", flat=True))
    mailed = sorted(
        OutboxMessage.objects.filter(payload__template="invitation").values_list(
            "payload__to", flat=True
        )
    )
    assert mailed == invited
    assert ActivityEvent.objects.filter(account=account, action="member.invited").count() == 3
    assert demo.DEMO_PASSWORD in out and demo.OWNER_EMAIL in out
    assert "/accounts/login/" in out
    assert "/dev/mailbox/" in out
    for email in (demo.OWNER_EMAIL, "sofia@acme.test", "alex@acme.test"):
        assert client.login(username=email, password=demo.DEMO_PASSWORD), email
        client.logout()
