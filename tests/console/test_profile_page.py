"""A member's profile: edit, role, agent access, lifecycle actions with confirmation, activity."""

import re

from crewbase.audit.models import ActivityEvent
from crewbase.org.models import Ticket
from crewbase.people.actions import limits
from crewbase.people.actions.changes import update_member
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, builtin_role, make_member
from tests.console.conftest import signed_in


def test_profile_shows_details_badges_and_read_only_email(scene):
    owner = scene["owner"]
    page = signed_in(owner).get(f"/members/{owner.pk}/")
    assert page.status_code == 200
    assert "Owner</span>" in page.text
    assert re.search(r'name="email"[^>]*readonly|readonly[^>]*name="email"', page.text)
    assert "Email addresses cannot be changed." in page.text
    # The owner cannot be deactivated: no such button on their own profile.
    assert f"/members/{owner.pk}/deactivate/" not in page.text


def test_edit_saves_and_a_too_long_name_is_refused_on_its_field(scene):
    client = signed_in(scene["owner"])
    agent = scene["agent"]
    saved = client.post(
        f"/members/{agent.pk}/edit/",
        {"first_name": "Agnes", "last_name": "Ode", "phone": "+44 20 1234", "email": "x@y.z"},
    )
    assert saved.status_code == 302
    agent.refresh_from_db()
    assert (agent.display_name, agent.phone, agent.email) == (
        "Agnes Ode",
        "+44 20 1234",
        "agnes@example.com",
    )
    refused = client.post(
        f"/members/{agent.pk}/edit/", {"first_name": "A" * 151, "last_name": "Ode"}
    )
    assert refused.status_code == 422
    assert "Must be at most 150 characters." in refused.text
    assert "A" * 151 in refused.text  # what was typed stays
    agent.refresh_from_db()
    assert agent.first_name == "Agnes"


def test_role_change_and_refusals(scene):
    client = signed_in(scene["owner"])
    agent, owner = scene["agent"], scene["owner"]
    changed = client.post(f"/members/{agent.pk}/role/", {"role": builtin_role("supervisor").pk})
    assert changed.status_code == 302
    assert Member.objects.get(pk=agent.pk).role.builtin_key == "supervisor"
    junk = client.post(f"/members/{agent.pk}/role/", {"role": "abc"})
    assert junk.status_code == 422 and "No role with id" in junk.text
    demote = client.post(f"/members/{owner.pk}/role/", {"role": builtin_role("agent").pk})
    assert demote.status_code == 409 and "The owner cannot be demoted." in demote.text


def test_agent_access_toggle_and_no_free_seat(scene):
    account, agent = scene["account"], scene["agent"]
    # Exactly one seat free: the agent takes it, the next member finds none.
    account.paid_agent_seats = limits.agent_seats_used(account) + 1 - account.FREE_AGENT_SEATS
    account.save()
    client = signed_in(scene["owner"])
    first = client.post(f"/members/{agent.pk}/agent-access/", {"agent_access": "true"})
    other = make_member(account, "agent")
    refused = client.post(
        f"/members/{other.pk}/agent-access/", {"agent_access": "true"}, follow=True
    )
    assert first.status_code == 302 and Member.objects.get(pk=agent.pk).agent_access
    assert re.search(r"No agent seat left \((\d+) of \1 used\)\.", refused.text)
    assert not Member.objects.get(pk=other.pk).agent_access


def test_deactivate_asks_first_then_reassigns_tickets(scene):
    account, agent, owner = scene["account"], scene["agent"], scene["owner"]
    ticket = Ticket.objects.create(account=account, subject="Printer on fire", assignee=agent)
    client = signed_in(owner)
    confirm = client.get(f"/members/{agent.pk}/deactivate/")
    assert confirm.status_code == 200
    assert "Reassign open tickets to" in confirm.text and "Reason" in confirm.text
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.ACTIVE  # GET changes nothing

    junk = client.post(f"/members/{agent.pk}/deactivate/", {"reason": "bored", "reassign_to": "x"})
    assert junk.status_code == 422 and Member.objects.get(pk=agent.pk).is_active
    # Who takes over is typed as an email (no list of a million names); a typo is named.
    assert 'type="email" name="reassign_to"' in confirm.text
    typo = client.post(
        f"/members/{agent.pk}/deactivate/",
        {"reason": "left_company", "reassign_to": "nobody@example.com"},
    )
    assert typo.status_code == 422 and "Must be an active member of this account." in typo.text
    assert 'value="nobody@example.com"' in typo.text and Member.objects.get(pk=agent.pk).is_active

    done = client.post(
        f"/members/{agent.pk}/deactivate/",
        {"reason": "left_company", "reassign_to": f"  {owner.email.upper()} "},
        follow=True,
    )
    assert "was deactivated: 1 open ticket(s) reassigned" in done.text
    ticket.refresh_from_db()
    assert ticket.assignee_id == owner.pk
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED

    back = client.post(f"/members/{agent.pk}/reactivate/", follow=True)
    assert "Queues are not restored" in back.text
    assert Member.objects.get(pk=agent.pk).is_active


def test_delete_needs_deactivation_first_and_asks_before_deleting(scene):
    client = signed_in(scene["owner"])
    agent = scene["agent"]
    still_active = client.post(f"/members/{agent.pk}/delete/", follow=True)
    assert "before deleting them permanently" in still_active.text
    gone = make_member(scene["account"], "agent", status=MemberStatus.DEACTIVATED)
    assert "Delete permanently" in client.get(f"/members/{gone.pk}/delete/").text
    assert Member.objects.filter(pk=gone.pk).exists()
    deleted = client.post(f"/members/{gone.pk}/delete/")
    assert deleted.status_code == 302 and deleted["Location"] == "/members/"
    assert not Member.objects.filter(pk=gone.pk).exists()


def test_cancel_invitation_and_offboard(scene):
    client = signed_in(scene["owner"])
    client.post(
        "/members/invite/", {"emails": "newbie@example.com", "role": builtin_role("agent").pk}
    )
    newbie = Member.objects.get(email="newbie@example.com")
    assert "Cancel invitation" in client.get(f"/members/{newbie.pk}/cancel-invitation/").text
    client.post(f"/members/{newbie.pk}/cancel-invitation/")
    assert not Member.objects.filter(pk=newbie.pk).exists()

    agent = scene["agent"]
    offboarded = client.post(
        f"/members/{agent.pk}/offboard/",
        {
            "reassign_tickets_to": str(scene["owner"].pk),
            "transfer_assets_to": str(scene["owner"].pk),
        },
        follow=True,
    )
    assert "was offboarded" in offboarded.text
    assert Member.objects.get(pk=agent.pk).status == MemberStatus.DEACTIVATED


def test_activity_filter_offers_only_types_the_member_performed(scene):
    owner, agent = scene["owner"], scene["agent"]
    update_member(actor=actor_for(owner), member=agent, changes={"phone": "123"})
    page = signed_in(owner).get(f"/members/{owner.pk}/")
    options = re.findall(
        r'<option value="([a-z_.]+)"', page.text.split('id="id_type"')[1].split("</select>")[0]
    )
    performed = set(
        ActivityEvent.objects.filter(actor_member_id=owner.pk).values_list("action", flat=True)
    )
    assert set(options) == performed and "member.updated" in options
    narrowed = signed_in(owner).get(f"/members/{owner.pk}/", {"type": "member.updated"})
    assert narrowed.text.count("<li><time") == 1
    junk = signed_in(owner).get(f"/members/{owner.pk}/", {"type": "<script>"})
    assert junk.status_code == 200
    agent_view = signed_in(agent).get(f"/members/{owner.pk}/")
    assert 'id="activity-heading"' not in agent_view.text  # needs audit.view


def test_activity_pages_walk_back_in_time(scene):
    owner, agent = scene["owner"], scene["agent"]
    for n in range(30):
        update_member(actor=actor_for(owner), member=agent, changes={"phone": str(n)})
    client = signed_in(owner)
    first = client.get(f"/members/{owner.pk}/", {"type": "member.updated"})
    assert first.text.count("<li><time") == 25
    older = re.search(r'href="(\?[^"]+)" rel="next">Older activity', first.text).group(1)
    second = client.get(f"/members/{owner.pk}/" + older.replace("&amp;", "&"))
    assert second.text.count("<li><time") == 5
    assert "Older activity" not in second.text
    for junk in ("abc", "-1", "9" * 40):
        assert client.get(f"/members/{owner.pk}/", {"before": junk}).status_code == 200
