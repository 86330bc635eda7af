"""The rest of the console in light and dark (organisation, integrations, governance, bulk,
sign-in): no serious or critical axe-core violations on any page, and a screenshot of each in
docs/screenshots/<page>-light.png / <page>-dark.png (see SCREENSHOTS)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from crewbase.bulk.actions import start_bulk_action
from crewbase.core import clock
from crewbase.governance.campaigns import start_campaign
from crewbase.governance.checklists import create_item
from crewbase.identity.sso.actions import create_sso_connection
from crewbase.org.actions import (
    add_division_members,
    add_team_members,
    create_team,
    set_queue_members,
    update_division,
    update_queue,
    update_team,
)
from crewbase.org.models import Division, Queue, Team
from crewbase.org.skill_actions import assign_skill, create_skill
from crewbase.people.models import Person
from crewbase.webhooks.actions import create_webhook_endpoint
from crewbase.webhooks.events import emit
from tests.browser.conftest import SCREENSHOTS, serious_violations, sign_in
from tests.browser.test_pages_look import build_scene
from tests.conftest import TEST_PASSWORD, actor_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def furnish_organisation(actor, account, members) -> dict:
    """Teams, a division, a queue with agents and skills held at levels, with descriptions."""
    maya, omar, _priya, _tom, _lena = members
    support = Team.objects.get(account=account, name="Support")
    update_team(actor=actor, team=support, description="First line: email and chat")
    add_team_members(actor=actor, team=support, member_ids=[actor.member.pk])
    escalations = create_team(
        actor=actor, name="Escalations", description="Second line for hard cases"
    )
    add_team_members(actor=actor, team=escalations, member_ids=[maya.pk, omar.pk])
    emea = Division.objects.get(account=account, name="EMEA")
    update_division(actor=actor, division=emea, description="Europe, Middle East and Africa")
    add_division_members(actor=actor, division=emea, member_ids=[maya.pk, omar.pk, actor.member.pk])
    priority = Queue.objects.get(account=account, name="Priority")
    update_queue(actor=actor, queue=priority, description="Outages and paying customers")
    set_queue_members(actor=actor, queue=priority, member_ids=[maya.pk, omar.pk])
    german = create_skill(actor=actor, name="German", level_required=True)
    assign_skill(actor=actor, member=maya, skill_id=german.pk, level=4)
    assign_skill(actor=actor, member=omar, skill_id=german.pk, level=2)
    refunds = create_skill(actor=actor, name="Refunds")
    assign_skill(actor=actor, member=omar, skill_id=refunds.pk)
    return {
        "team": support.pk,
        "escalations": escalations.pk,
        "queue": priority.pk,
        "division": emea.pk,
        "skill": german.pk,
    }


def furnish_integrations(actor) -> dict:
    """A webhook endpoint with one delivery waiting, and an SSO connection not yet tested."""
    # No worker runs here, so the receiver is never contacted; the SSRF guard is lifted the way
    # tests/webhooks does, so a setting of the machine running the tests cannot refuse it.
    with override_settings(CREWBASE_WEBHOOK_ALLOW_PRIVATE=True):
        webhook, _secret = create_webhook_endpoint(
            actor=actor,
            url="https://hooks.harbor.example/crewbase",
            event_types=["member.deactivated", "member.reactivated"],
        )
    with transaction.atomic():
        emit(actor, "member.reactivated", {"member_id": actor.member.pk})
    sso = create_sso_connection(
        actor=actor,
        data={
            "name": "Harbor Okta",
            "preset": "okta",
            "issuer": "https://harbor.okta.example",
            "client_id": "crewbase",
            "client_secret": "not-a-real-secret",
            "domains": ["harbor.example"],
        },
    )
    return {"webhook": webhook.pk, "sso": sso.pk}


def furnish_governance(actor, members, escalations_id: int) -> dict:
    """Checklist items, an open access review and a finished bulk action."""
    maya, omar, *_ = members
    create_item(actor=actor, kind="onboarding", title="Shadow a senior agent for a day")
    create_item(actor=actor, kind="offboarding", title="Hand over open tickets")
    review = start_campaign(
        actor=actor,
        name="Quarterly review",
        scope="all",
        reviewer_id=actor.member.pk,
        due=(clock.now() + timedelta(days=14)).date().isoformat(),
    )
    job = start_bulk_action(
        actor=actor,
        action="add_to_team",
        params={"team": escalations_id},
        member_ids=[maya.pk, omar.pk, actor.member.pk],
    )
    return {"review": review.pk, "job": job.pk}


def furnish(account, owner, members) -> dict:
    """Fills the members scene with what the other pages show; returns the ids they need."""
    actor = actor_for(owner)
    ids = furnish_organisation(actor, account, members)
    ids |= furnish_integrations(actor)
    return ids | furnish_governance(actor, members, ids["escalations"])


def pages(ids: dict) -> dict:
    return {
        "home": "/",
        "teams": "/teams/",
        "team": f"/teams/{ids['team']}/",
        "skills": "/skills/",
        "skill": f"/skills/{ids['skill']}/",
        "queues": "/queues/",
        "queue": f"/queues/{ids['queue']}/",
        "divisions": "/divisions/",
        "division": f"/divisions/{ids['division']}/",
        "webhooks": "/security/webhooks/",
        "webhook": f"/security/webhooks/{ids['webhook']}/",
        "sso": "/security/sso/",
        "sso-connection": f"/security/sso/{ids['sso']}/",
        "scim": "/security/scim/",
        "two-factor": "/security/two-factor/",
        "access-review": "/access-review/",
        "checklists": "/access-review/checklists/",
        "reviews": "/access-review/reviews/",
        "review": f"/access-review/reviews/{ids['review']}/",
        "bulk-import": "/bulk/import/",
        "bulk-jobs": "/bulk/",
        "bulk-job": f"/bulk/{ids['job']}/",
    }


def look(page, name: str, problems: dict) -> None:
    """Axe findings and a full-page picture, in light then dark."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems[f"{name}-{scheme}"] = serious_violations(page)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")


def test_every_other_page_in_light_and_dark(new_page):
    account, owner, members = build_scene()
    ids = furnish(account, owner, members)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict = {}

    visitor = new_page()
    assert visitor.goto("/accounts/login/").status == 200
    look(visitor, "sign-in", problems)

    page = new_page()
    sign_in(page, owner.email, TEST_PASSWORD)
    for name, url in pages(ids).items():
        response = page.goto(url)
        assert response.status == 200, (name, url, response.status)
        look(page, name, problems)
    # A page without a navigation entry of its own marks none as current (Home used to claim it).
    page.goto(f"/bulk/{ids['job']}/")
    assert page.get_by_role("navigation", name="Console").locator("[aria-current]").count() == 0

    # Personal settings of someone who chose Indonesian: the console speaks it.
    maya = members[0]
    person = Person.objects.get(pk=maya.person_id)
    person.preferences = {**person.preferences, "language": "id"}
    person.save()
    agent_page = new_page()
    sign_in(agent_page, maya.email, TEST_PASSWORD)
    assert agent_page.goto("/settings/").status == 200
    assert agent_page.locator("html").get_attribute("lang") == "id"
    look(agent_page, "settings-id", problems)
    # The longer Indonesian labels still leave the sessions table's button inside its box.
    button = agent_page.locator("table[aria-labelledby=sessions-title] button").first.bounding_box()
    box = agent_page.locator(".table-wrap").first.bounding_box()
    assert button["x"] + button["width"] <= box["x"] + box["width"]

    assert {name: found for name, found in problems.items() if found} == {}
