"""The "$name" values and setups this area's rows in tests/authz/matrix.d/governance.yaml use."""

from datetime import timedelta

from crewbase.core import clock
from crewbase.governance import campaigns, checklists, schedules
from crewbase.org.actions import add_team_members, create_team
from tests.conftest import actor_for, make_member

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    admin = actor_for(owner)
    item = checklists.create_item(actor=admin, kind="onboarding", title="Matrix training")
    scheduled = make_member(account, "agent")
    run_at = (clock.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    schedules.schedule_change(actor=admin, member=scheduled, action="deactivate", run_at=run_at)
    review = campaigns.start_campaign(actor=admin, name="Matrix review", scope="all")
    team = create_team(actor=admin, name="Matrix review team")
    add_team_members(actor=admin, team=team, member_ids=[scheduled.pk])
    finished = campaigns.start_campaign(
        actor=admin, name="Matrix review (decided)", scope="team", team_id=team.pk
    )
    for review_item in finished.items.all():
        campaigns.decide_item(actor=admin, item=review_item, decision="confirmed")
    return {
        "gov_item": item.pk,
        "gov_scheduled": scheduled.pk,
        "gov_run_at": run_at,
        "gov_review": review.pk,
        "gov_review_item": review.items.order_by("id").first().pk,
        "gov_review_decided": finished.pk,
    }
