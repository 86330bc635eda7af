"""Teams, queues, skills and divisions clicked through in Chromium, each page checked with
axe-core and photographed in light and dark."""

import pytest
from playwright.sync_api import expect

from crewbase.org.models import MemberChatAccess, MemberSkill, Queue, Skill, Team
from tests.browser_org.conftest import check_page, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_is_created_staffed_renamed_and_deleted(new_page, harbor):
    account, owner, _people = harbor
    page = signed_in_page(new_page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Teams").click()
    page.wait_for_url("**/teams/")
    expect(page.get_by_text("No teams yet.")).to_be_visible()
    check_page(page, "teams-empty")
    page.get_by_label("Name").fill("Billing")
    page.get_by_label("Description").fill("Invoices and refunds")
    page.get_by_role("button", name="Create team").click()
    page.wait_for_url("**/teams/*/")
    expect(page.get_by_text("Team “Billing” created.")).to_be_visible()

    emails = page.get_by_label("Member emails")
    emails.fill("omar@harbor.example, priya@harbor.exmaple")
    page.get_by_role("button", name="Add members").click()
    expect(page.get_by_text("priya@harbor.exmaple").first).to_be_visible()
    assert page.get_by_label("Member emails").input_value().endswith("priya@harbor.exmaple")
    page.get_by_label("Member emails").fill("omar@harbor.example, priya@harbor.example")
    page.get_by_role("button", name="Add members").click()
    page.wait_for_url("**/teams/*/")
    table = page.get_by_role("table", name="Members of Billing")
    expect(table.get_by_role("link", name="Omar Haddad")).to_be_visible()
    check_page(page, "team")

    page.get_by_role("button", name="Remove priya@harbor.example from Billing").click()
    page.wait_for_url("**/teams/*/")
    team = Team.objects.get(account=account, name="Billing")
    assert list(team.members.values_list("email", flat=True)) == ["omar@harbor.example"]

    page.get_by_role("link", name="Teams", exact=True).first.click()
    page.wait_for_url("**/teams/")
    row = page.get_by_role("row", name="Billing")
    expect(row.get_by_role("cell", name="1", exact=True)).to_be_visible()
    check_page(page, "teams")

    page.locator("#main").get_by_role("link", name="Billing").click()
    page.get_by_role("link", name="Delete this team…").click()
    page.wait_for_url("**/delete/")
    expect(page.get_by_role("heading", name="Delete the team “Billing”?")).to_be_visible()
    check_page(page, "team-delete")
    page.get_by_role("button", name="Delete team").click()
    page.wait_for_url("**/teams/")
    assert not Team.objects.filter(account=account).exists()


def test_a_queue_refuses_a_non_agent_then_takes_the_agents(new_page, harbor):
    account, owner, _people = harbor
    page = signed_in_page(new_page, owner)
    page.goto("/queues/")
    page.get_by_label("Name").fill("Returns")
    page.get_by_role("button", name="Create queue").click()
    page.wait_for_url("**/queues/*/")
    expect(page.get_by_text("reactivating them does not put them back").first).to_be_visible()
    page.get_by_label("Member emails").fill("priya@harbor.example maya@harbor.example")
    page.get_by_role("button", name="Save agents").click()
    expect(page.get_by_text("maya@harbor.example has no agent access.")).to_be_visible()
    expect(page.get_by_text("Nothing was changed")).to_be_visible()
    queue = Queue.objects.get(account=account, name="Returns")
    assert queue.members.count() == 0
    check_page(page, "queue-refused")

    page.get_by_label("Member emails").fill("priya@harbor.example omar@harbor.example")
    page.get_by_role("button", name="Save agents").click()
    page.wait_for_url("**/queues/*/")
    assert set(queue.members.values_list("email", flat=True)) == {
        "priya@harbor.example",
        "omar@harbor.example",
    }
    page.get_by_role("checkbox", name="Omar Haddad omar@harbor.example").uncheck()
    page.get_by_role("button", name="Save agents").click()
    page.wait_for_url("**/queues/*/")
    assert list(queue.members.values_list("email", flat=True)) == ["priya@harbor.example"]
    check_page(page, "queue")


def test_skills_divisions_and_the_profile_sections(new_page, harbor):
    account, owner, people = harbor
    page = signed_in_page(new_page, owner)
    page.goto("/skills/")
    page.get_by_label("Name").fill("French")
    page.get_by_label("Level required").check()
    page.get_by_label("Lowest level").fill("0")
    page.get_by_label("Highest level").fill("5")
    page.get_by_role("button", name="Create skill").click()
    expect(page.get_by_text("Must be a whole number between 1 and 100.")).to_be_visible()
    page.get_by_label("Lowest level").fill("1")
    page.get_by_role("button", name="Create skill").click()
    page.wait_for_url("**/skills/*/")
    page.get_by_label("Member emails").fill("omar@harbor.example")
    page.get_by_label("Level:", exact=True).fill("9")
    page.get_by_role("button", name="Give skill").click()
    expect(page.get_by_text("a whole number from 1 to 5").first).to_be_visible()
    page.get_by_label("Level:", exact=True).fill("4")
    page.get_by_role("button", name="Give skill").click()
    page.wait_for_url("**/skills/*/")
    skill = Skill.objects.get(account=account, name="French")
    assert MemberSkill.objects.get(skill=skill).level == 4
    check_page(page, "skill")
    page.goto("/skills/")
    check_page(page, "skills")

    page.goto("/divisions/")
    page.get_by_label("Name").fill("North")
    page.get_by_role("button", name="Create division").click()
    page.wait_for_url("**/divisions/*/")
    page.get_by_label("Member emails").fill("maya@harbor.example")
    page.get_by_role("button", name="Add members").click()
    page.wait_for_url("**/divisions/*/")
    page.get_by_label("Chat access of maya@harbor.example").select_option("assigned")
    page.get_by_role("button", name="Save chat access of maya@harbor.example").click()
    page.wait_for_url("**/divisions/*/")
    assert MemberChatAccess.objects.get(member=people["maya"]).scope == "assigned"
    check_page(page, "division")
    page.goto("/divisions/")
    check_page(page, "divisions")

    page.goto(f"/members/{people['priya'].pk}/")
    skills = page.get_by_role("region", name="Skills")
    skills.get_by_label("Level").fill("high")
    skills.get_by_role("button", name="Save skill").click()
    expect(page.get_by_text("must be a whole number from 1 to 5").first).to_be_visible()
    page.get_by_role("region", name="Skills").get_by_label("Level").fill("2")
    page.get_by_role("region", name="Skills").get_by_role("button", name="Save skill").click()
    page.wait_for_url("**/members/*/#section-org_skills")
    assert MemberSkill.objects.get(member=people["priya"]).level == 2
    divisions = page.get_by_role("region", name="Divisions")
    divisions.get_by_label("Add to division").select_option(label="North")
    divisions.get_by_role("button", name="Add").click()
    page.wait_for_url("**/members/*/#section-org_divisions")
    assert people["priya"].divisions.count() == 1
    check_page(page, "profile-sections")


def test_an_agent_sees_the_pages_without_buttons(new_page, harbor):
    _account, _owner, people = harbor
    page = signed_in_page(new_page, people["omar"])
    nav = page.get_by_role("navigation", name="Console")
    for label in ("Teams", "Skills", "Queues", "Divisions"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    page.goto("/teams/")
    assert page.get_by_role("button", name="Create team").count() == 0
    check_page(page, "teams-read-only")
