"""The Teams, Divisions, Queues and Skills console pages (ORG-1 … ORG-4, API-1)."""

from __future__ import annotations

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.org import actions, skill_actions
from crewbase.org.models import Division, MemberChatAccess, MemberSkill, Queue, Skill, Team
from tests.conftest import actor_for, make_account, make_member
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    account, owner = make_account(name="Harbor Help", paid_agent_seats=5)
    agent = make_member(account, "agent", email="agnes@example.com", agent_access=True)
    plain = make_member(account, "agent", email="paul@example.com")
    _other, other_owner = make_account(name="Elsewhere")
    return {
        "account": account,
        "owner": owner,
        "admin": actor_for(owner),
        "agent": agent,
        "plain": plain,
        "other_owner": other_owner,
    }


@pytest.mark.parametrize(
    ("plural", "model"), [("teams", Team), ("divisions", Division), ("queues", Queue)]
)
def test_create_rename_and_delete_a_group(office, plural, model):
    client = signed_in(office["owner"])
    empty = client.get(f"/{plural}/").content.decode()
    assert f"No {plural} yet" in empty

    created = client.post(f"/{plural}/", {"name": "Escalations", "description": "Hard ones"})
    group = model.objects.get(account=office["account"], name="Escalations")
    assert created["Location"] == f"/{plural}/{group.pk}/"

    clash = client.post(f"/{plural}/", {"name": "ESCALATIONS"})
    assert clash.status_code == 422
    assert "already exists" in clash.content.decode()
    blank = client.post(f"/{plural}/", {"name": "  "})
    assert "Enter a name of 1 to 120 characters." in blank.content.decode()

    listed = client.get(f"/{plural}/").content.decode()
    assert "Escalations" in listed and "Hard ones" in listed

    client.post(f"/{plural}/{group.pk}/", {"name": "Tier 3", "description": ""})
    group.refresh_from_db()
    assert group.name == "Tier 3"

    confirm = client.get(f"/{plural}/{group.pk}/delete/").content.decode()
    assert "Delete the" in confirm and "Tier 3" in confirm
    assert model.objects.filter(pk=group.pk).exists()
    client.post(f"/{plural}/{group.pk}/delete/")
    assert not model.objects.filter(pk=group.pk).exists()


def test_team_members_are_added_by_email_and_removed(office):
    team = actions.create_team(actor=office["admin"], name="Billing")
    client = signed_in(office["owner"])
    unknown = client.post(f"/teams/{team.pk}/members/", {"emails": "agnes@example.com nobody@x.io"})
    assert unknown.status_code == 422
    assert "nobody@x.io" in unknown.content.decode()
    assert team.members.count() == 0

    client.post(f"/teams/{team.pk}/members/", {"emails": "agnes@example.com, PAUL@example.com"})
    assert set(team.members.values_list("email", flat=True)) == {
        "agnes@example.com",
        "paul@example.com",
    }
    page = client.get("/teams/").content.decode()
    assert "<td>2</td>" in page  # the member count

    client.post(f"/teams/{team.pk}/members/remove/", {"member_id": office["plain"].pk})
    assert list(team.members.values_list("email", flat=True)) == ["agnes@example.com"]


def test_a_queue_refuses_a_non_agent_and_says_what_deactivation_does(office):
    queue = actions.create_queue(actor=office["admin"], name="Returns")
    client = signed_in(office["owner"])
    page = client.get(f"/queues/{queue.pk}/").content.decode()
    assert "reactivating them does not put them back" in page

    refused = client.post(
        f"/queues/{queue.pk}/agents/", {"emails": "agnes@example.com paul@example.com"}
    )
    assert refused.status_code == 422
    assert "paul@example.com has no agent access" in refused.content.decode()
    assert queue.members.count() == 0

    client.post(f"/queues/{queue.pk}/agents/", {"emails": "agnes@example.com"})
    assert list(queue.members.all()) == [office["agent"]]
    # Unticking removes.
    client.post(f"/queues/{queue.pk}/agents/", {"emails": ""})
    assert queue.members.count() == 0


def test_skill_levels_outside_the_range_are_refused_with_the_range(office):
    client = signed_in(office["owner"])
    for low, high, words in (
        ("0", "100", "between 1 and 100"),
        ("1", "101", "between 1 and 100"),
        ("high", "5", "between 1 and 100"),
        ("9", "5", "at least min_level"),
    ):
        page = client.post("/skills/", {"name": "French", "min_level": low, "max_level": high})
        assert page.status_code == 422
        assert words in page.content.decode(), (low, high)
    client.post(
        "/skills/", {"name": "French", "level_required": "on", "min_level": "1", "max_level": "5"}
    )
    skill = Skill.objects.get(name="French")
    assert skill.level_required and (skill.min_level, skill.max_level) == (1, 5)

    for level in ("0", "101", "high", ""):
        page = client.post(
            f"/skills/{skill.pk}/assign/", {"emails": "agnes@example.com", "level": level}
        )
        assert page.status_code == 422
        assert "from 1 to 5" in page.content.decode(), level
    client.post(f"/skills/{skill.pk}/assign/", {"emails": "agnes@example.com", "level": "4"})
    assert MemberSkill.objects.get(skill=skill).level == 4
    detail = client.get(f"/skills/{skill.pk}/").content.decode()
    assert "agnes@example.com" in detail
    client.post(f"/skills/{skill.pk}/remove/", {"member_id": office["agent"].pk})
    assert not MemberSkill.objects.filter(skill=skill).exists()
    client.post(f"/skills/{skill.pk}/delete/")
    assert not Skill.objects.filter(pk=skill.pk).exists()


def test_division_chat_access_is_set_from_the_division_page(office):
    division = actions.create_division(actor=office["admin"], name="North")
    supervisor = make_member(office["account"], "supervisor")
    actions.add_division_members(
        actor=office["admin"], division=division, member_ids=[supervisor.pk]
    )
    client = signed_in(office["owner"])
    page = client.get(f"/divisions/{division.pk}/").content.decode()
    assert "Assigned divisions only" in page
    client.post(
        f"/divisions/{division.pk}/chat-access/",
        {"member_id": supervisor.pk, "chat_access": "assigned"},
    )
    assert MemberChatAccess.objects.get(member=supervisor).scope == "assigned"


def test_the_profile_sections_add_and_remove(office):
    admin = office["admin"]
    team = actions.create_team(actor=admin, name="Billing")
    division = actions.create_division(actor=admin, name="North")
    skill = skill_actions.create_skill(actor=admin, name="French", min_level=1, max_level=5)
    member = office["agent"]
    client = signed_in(office["owner"])
    profile = f"/members/{member.pk}/"
    page = client.get(profile).content.decode()
    for title in ("Teams", "Skills", "Queues", "Divisions", "Chat access"):
        assert f">{title}</h" in page, title

    client.post(f"/org/members/{member.pk}/teams/", {"do": "add", "team": team.pk})
    client.post(f"/org/members/{member.pk}/divisions/", {"do": "add", "division": division.pk})
    assert list(member.teams.all()) == [team]
    assert list(member.divisions.all()) == [division]

    refused = client.post(
        f"/org/members/{member.pk}/skills/", {"do": "add", "skill": skill.pk, "level": "9"}
    )
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "from 1 to 5" in text and 'value="9"' in text
    client.post(f"/org/members/{member.pk}/skills/", {"do": "add", "skill": skill.pk, "level": "3"})
    assert MemberSkill.objects.get(member=member).level == 3
    assert "French</a> — level 3" in client.get(profile).content.decode()

    client.post(f"/org/members/{member.pk}/chat-access/", {"chat_access": "assigned"})
    assert MemberChatAccess.objects.get(member=member).scope == "assigned"
    bad = client.post(f"/org/members/{member.pk}/chat-access/", {"chat_access": "most"})
    assert bad.status_code == 422

    client.post(f"/org/members/{member.pk}/teams/", {"do": "remove", "team": team.pk})
    client.post(f"/org/members/{member.pk}/skills/", {"do": "remove", "skill": skill.pk})
    assert member.teams.count() == 0 and not MemberSkill.objects.filter(member=member).exists()
    assert ActivityEvent.objects.filter(action="team.members_removed").exists()


def test_viewers_without_teams_manage_see_no_buttons_and_get_403(office):
    team = actions.create_team(actor=office["admin"], name="Billing")
    client = signed_in(office["agent"])
    nav = client.get("/teams/").content.decode()
    assert 'href="/teams/"' in nav and 'href="/skills/"' in nav
    assert "Create a team" not in nav
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "Delete this team" not in page and "Add members" not in page
    for path, data in (
        ("/teams/", {"name": "Mine"}),
        (f"/teams/{team.pk}/delete/", {}),
        (f"/teams/{team.pk}/members/", {"emails": "agnes@example.com"}),
        (f"/org/members/{office['plain'].pk}/teams/", {"do": "add", "team": team.pk}),
    ):
        assert client.post(path, data).status_code == 403, path
    assert Team.objects.filter(pk=team.pk).exists() and team.members.count() == 0


def test_another_accounts_objects_are_404(office):
    team = actions.create_team(actor=office["admin"], name="Billing")
    skill = skill_actions.create_skill(actor=office["admin"], name="French")
    client = signed_in(office["other_owner"])
    for path in (f"/teams/{team.pk}/", f"/skills/{skill.pk}/", f"/teams/{team.pk}/delete/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/teams/{team.pk}/delete/").status_code == 404
    assert (
        client.post(
            f"/org/members/{office['agent'].pk}/teams/", {"do": "add", "team": team.pk}
        ).status_code
        == 404
    )
    assert Team.objects.filter(pk=team.pk).exists()


def test_odd_ids_in_forms_are_refused_without_a_server_error(office):
    team = actions.create_team(actor=office["admin"], name="Billing")
    division = actions.create_division(actor=office["admin"], name="North")
    client = signed_in(office["owner"])
    for odd in ("²", "99999999999999999999999", "-1", ""):
        assert client.post(f"/teams/{team.pk}/members/remove/", {"member_id": odd}).status_code in (
            302,
            422,
        )
        assert (
            client.post(f"/org/members/{office['agent'].pk}/teams/", {"team": odd}).status_code
            == 422
        )
        assert (
            client.post(f"/divisions/{division.pk}/chat-access/", {"member_id": odd}).status_code
            == 302
        )
        assert client.post("/queues/999/agents/", {"keep": odd}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(office, client):
    response = client.get("/teams/")
    assert response.status_code == 302 and "login" in response["Location"]
