"""The invite page: all or nothing, each bad address named, what was typed kept (INV-1, INV-2)."""

from crewbase.core.models import OutboxMessage
from crewbase.people.models import Member, MemberStatus
from tests.conftest import builtin_role, make_member
from tests.console.conftest import signed_in


def agent_role() -> str:
    return str(builtin_role("agent").pk)


def test_a_typo_sends_nothing_and_names_the_address_and_keeps_the_text(scene):
    client = signed_in(scene["owner"])
    typed = "ann@example.com, bob@example, cy@example.com"
    page = client.post("/members/invite/", {"emails": typed, "role": agent_role()})
    assert page.status_code == 422
    assert "<strong>bob@example</strong>:" in page.text
    assert "Nothing was sent" in page.text
    assert typed in page.text  # the textarea keeps what was typed
    assert not Member.objects.filter(email__in=["ann@example.com", "cy@example.com"]).exists()


def test_sending_lists_invited_skipped_and_pending_with_resend(scene):
    account = scene["account"]
    make_member(account, "agent", status=MemberStatus.INVITED, email="pending@example.com")
    client = signed_in(scene["owner"])
    emails = "ann@example.com;cy@example.com\nagnes@example.com pending@example.com"
    page = client.post("/members/invite/", {"emails": emails, "role": agent_role()})
    assert page.status_code == 200
    assert "Invited 2:" in page.text
    assert "agnes@example.com: already an active member" in page.text
    assert "pending@example.com: pending, resend?" in page.text
    pending = Member.objects.get(email="pending@example.com")
    assert f'action="/members/{pending.pk}/resend/"' in page.text
    invited = Member.objects.filter(
        account=account, email__in=["ann@example.com", "cy@example.com"]
    )
    assert {m.status for m in invited} == {MemberStatus.INVITED} and invited.count() == 2
    queued = OutboxMessage.objects.filter(
        account=account, idempotency_key__startswith="invitation-"
    )
    assert queued.count() == 2

    resent = client.post(f"/members/{pending.pk}/resend/", {"next": "/members/invite/"})
    assert resent.status_code == 302 and resent["Location"] == "/members/invite/"
    assert "Invitation sent again to pending@example.com" in client.get("/members/invite/").text


def test_field_errors_land_on_their_fields(scene):
    client = signed_in(scene["owner"])
    empty = client.post("/members/invite/", {"emails": "  ", "role": agent_role()})
    assert empty.status_code == 422 and "Enter at least one email address." in empty.text
    bad_role = client.post("/members/invite/", {"emails": "z@example.com", "role": "nope"})
    assert bad_role.status_code == 422 and "No role with id" in bad_role.text
    bad_team = client.post(
        "/members/invite/", {"emails": "z@example.com", "role": agent_role(), "teams": ["x"]}
    )
    assert bad_team.status_code == 422 and "Must be a list of ids." in bad_team.text
    assert not Member.objects.filter(email="z@example.com").exists()


def test_no_free_agent_seat_is_said_on_the_agent_access_field(scene):
    account = scene["account"]
    account.paid_agent_seats = 0
    account.save()
    make_member(account, "agent", agent_access=True)  # takes the one free seat
    page = signed_in(scene["owner"]).post(
        "/members/invite/",
        {"emails": "seatless@example.com", "role": agent_role(), "agent_access": "on"},
    )
    assert page.status_code == 409 and "No agent seat left" in page.text
    assert not Member.objects.filter(email="seatless@example.com").exists()


def test_one_person_can_be_invited_with_name_and_phone_but_not_several(scene):
    client = signed_in(scene["owner"])
    both = {"emails": "a1@example.com b1@example.com", "role": agent_role(), "first_name": "Al"}
    refused = client.post("/members/invite/", both)
    assert refused.status_code == 422
    assert "A name or phone can only be given when inviting one person." in refused.text
    one = {"emails": "al@example.com", "role": agent_role(), "first_name": "Al", "phone": "555"}
    assert client.post("/members/invite/", one).status_code == 200
    member = Member.objects.get(email="al@example.com")
    assert (member.first_name, member.phone) == ("Al", "555")
