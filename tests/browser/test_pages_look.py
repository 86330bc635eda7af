"""Every members page in light and dark: no serious or critical axe-core violations, and a
screenshot of each in docs/screenshots/<page>-light.png / <page>-dark.png to look at."""

from datetime import timedelta

import pytest

from crewbase.core import clock
from crewbase.org.models import Division, Queue, Team
from crewbase.people.actions.changes import update_member
from crewbase.people.models import MemberStatus, Person
from tests.browser.conftest import SCREENSHOTS, serious_violations, sign_in
from tests.conftest import TEST_PASSWORD, actor_for, make_account, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    ("Maya", "Lindqvist", "active", True),
    ("Omar", "Haddad", "active", True),
    ("Priya", "Raman", "invited", False),
    ("Tom", "Becker", "expired", False),
    ("Lena", "Vogel", "deactivated", True),
]


def build_scene():
    account, owner = make_account(name="Harbor Help")
    account.paid_agent_seats = 4
    account.user_limit = 25
    account.save()
    support = Team.objects.create(account=account, name="Support")
    billing = Team.objects.create(account=account, name="Billing")
    Division.objects.create(account=account, name="EMEA")
    Queue.objects.create(account=account, name="Priority")
    now = clock.now()
    members = []
    for first, last, state, agent in PEOPLE:
        status = {"expired": MemberStatus.INVITED}.get(state, state)
        member = make_member(
            account,
            "agent" if agent else "supervisor",
            status=status,
            email=f"{first.lower()}@harbor.example",
            agent_access=agent,
            last_sign_in_at=now - timedelta(hours=len(members) * 7) if state == "active" else None,
            invitation_expires_at=(
                now - timedelta(days=1) if state == "expired" else now + timedelta(days=6)
            )
            if status == MemberStatus.INVITED
            else None,
        )
        member.first_name, member.last_name = first, last
        member.refresh_display_name()
        member.save()
        member.teams.add(support if len(members) % 2 == 0 else billing)
        members.append(member)
    update_member(actor=actor_for(owner), member=members[0], changes={"phone": "+44 20 7946 0000"})
    return account, owner, members


def pages(owner, members):
    maya = members[0]
    return {
        "members": "/members/",
        "members-empty": "/members/?q=xyz",
        "invite": "/members/invite/",
        "profile": f"/members/{maya.pk}/",
        "own-profile": f"/members/{owner.pk}/",
        "deactivate": f"/members/{maya.pk}/deactivate/",
        "offboard": f"/members/{maya.pk}/offboard/",
        "delete": f"/members/{members[4].pk}/delete/",
    }


def test_every_page_in_light_and_dark(new_page):
    _account, owner, members = build_scene()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        sign_in(page, owner.email, TEST_PASSWORD)
        for name, url in pages(owner, members).items():
            response = page.goto(url)
            assert response.status == 200, (name, response.status)
            problems[f"{name}-{scheme}"] = serious_violations(page)
            page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.png", full_page=True)

        # The invite page refusing a typo, with what was typed kept.
        page.goto("/members/invite/")
        page.get_by_label("Email addresses").fill("sam@harbor.example, kim@harbor")
        page.get_by_role("button", name="Send invitations").click()
        problems[f"invite-errors-{scheme}"] = serious_violations(page)
        page.screenshot(path=SCREENSHOTS / f"invite-errors-{scheme}.png", full_page=True)

        # Card view, remembered for the owner; switched back to the table afterwards.
        page.goto("/members/")
        page.get_by_role("button", name="Cards").click()
        page.wait_for_selector(".member-cards")
        problems[f"members-cards-{scheme}"] = serious_violations(page)
        page.screenshot(path=SCREENSHOTS / f"members-cards-{scheme}.png", full_page=True)
        page.get_by_role("button", name="Table").click()
        page.wait_for_selector("table.members")

        # What an agent meets on a page their role does not allow.
        agent_page = new_page(color_scheme=scheme)
        sign_in(agent_page, members[1].email, TEST_PASSWORD)
        assert agent_page.goto("/members/invite/").status == 403
        problems[f"forbidden-{scheme}"] = serious_violations(agent_page)
        agent_page.screenshot(path=SCREENSHOTS / f"forbidden-{scheme}.png", full_page=True)
    assert Person.objects.get(pk=owner.person_id).preferences["members_view"] == "table"
    assert {name: found for name, found in problems.items() if found} == {}


def test_a_persons_theme_overrides_the_system_one(new_page):
    _account, owner = make_account()
    person = Person.objects.get(pk=owner.person_id)
    page = new_page(color_scheme="light")
    sign_in(page, owner.email, TEST_PASSWORD)
    page.goto("/members/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    person.preferences = {**person.preferences, "theme": "dark"}
    person.save()
    page.goto("/members/")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark == "rgb(15, 18, 22)"
    assert serious_violations(page) == []
