"""Presence (LIST-4) and performance figures (ACT-6): API, users list, profile."""

from datetime import timedelta

import pytest

from crewbase.core import clock
from crewbase.org.actions import add_team_members, create_team
from crewbase.people.models import Member
from crewbase.work.models import Presence
from tests.api.client import ApiClient
from tests.conftest import actor_for, make_member
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _release_clock():
    yield
    clock.freeze(None)


def _post(host, events):
    answer = host["api"].post("/work-events", {"events": events})
    assert answer.status_code == 200, answer.content
    return answer


def _emails(api, query):
    return sorted(m["email"] for m in api.get(f"/members?{query}").json()["items"])


def test_presence_follows_console_activity_with_at_most_one_write_a_minute(host):
    agent = host["agent"]
    client = signed_in(agent)
    assert client.get("/members/").status_code == 200
    first = Member.objects.get(pk=agent.pk).last_seen_at
    assert first is not None
    client.get("/members/")
    assert Member.objects.get(pk=agent.pk).last_seen_at == first  # within the minute: no write
    owner_api = ApiClient(person=host["owner"].person)
    online = _emails(owner_api, "presence=online")
    assert agent.email in online and host["other_agent"].email not in online
    assert host["other_agent"].email in _emails(owner_api, "presence=offline")

    clock.freeze(clock.now() + timedelta(minutes=10))
    assert agent.email in _emails(owner_api, "presence=away")
    clock.freeze(clock.now() + timedelta(minutes=30))
    assert agent.email in _emails(owner_api, "presence=offline")
    refused = owner_api.get("/members?presence=asleep")
    assert refused.status_code in (400, 422)
    assert refused.json()["errors"] == {"presence": "must be online, away or offline"}


def test_the_host_sets_presence_and_auto_hands_it_back(host):
    api, agent = host["api"], host["agent"]
    answer = api.request("PUT", f"/members/{agent.pk}/presence", {"status": "away"})
    assert answer.json() == {"member_id": agent.pk, "presence": "away"}
    owner_api = ApiClient(person=host["owner"].person)
    assert agent.email in _emails(owner_api, "presence=away")
    assert (
        api.request("PUT", f"/members/{agent.pk}/presence", {"status": "auto"}).json()["presence"]
        == "offline"
    )
    bad = api.request("PUT", f"/members/{agent.pk}/presence", {"status": "napping"})
    assert bad.status_code == 422
    assert "status" in bad.json()["errors"]
    # A host-set status goes stale: after 12 hours activity decides again.
    api.request("PUT", f"/members/{agent.pk}/presence", {"status": "online"})
    clock.freeze(clock.now() + timedelta(hours=13))
    assert agent.email in _emails(owner_api, "presence=offline")
    assert Presence.objects.get(member_id=agent.pk).host_status == "online"


def test_performance_figures_for_a_member_and_a_team(host):
    agent, other = host["agent"], host["other_agent"]
    today = clock.now().replace(hour=0, minute=0, second=1, microsecond=0)
    stamp = today.isoformat()
    _post(
        host,
        [
            {
                "event_id": "1",
                "type": "ticket_handled",
                "member_id": agent.pk,
                "occurred_at": stamp,
            },
            {"event_id": "2", "type": "ticket_handled", "member_id": agent.pk},
            {"event_id": "3", "type": "reply_sent", "member_id": agent.pk},
            {"event_id": "4", "type": "call_handled", "member_id": agent.pk},
            {
                "event_id": "5",
                "type": "ticket_resolved",
                "member_id": agent.pk,
                "response_seconds": 60,
            },
            {
                "event_id": "6",
                "type": "ticket_resolved",
                "member_id": agent.pk,
                "response_seconds": 100,
            },
            {
                "event_id": "7",
                "type": "ticket_resolved",
                "member_id": other.pk,
                "response_seconds": 600,
            },
            {"event_id": "8", "type": "csat", "member_id": agent.pk, "score": 5},
            {"event_id": "9", "type": "csat", "member_id": agent.pk, "score": 4},
            {"event_id": "10", "type": "csat", "member_id": other.pk, "score": 1},
        ],
    )
    owner_api = ApiClient(person=host["owner"].person)
    figures = owner_api.get(f"/members/{agent.pk}/performance").json()
    assert (figures["tickets_handled"], figures["tickets_resolved"]) == (2, 2)
    assert (figures["replies_sent"], figures["calls_handled"]) == (1, 1)
    assert figures["median_response_seconds"] == 80
    assert figures["csat_average"] == 4.5
    assert len(figures["daily"]) == 30
    assert figures["daily"][-1]["handled"] == 2

    team = create_team(actor=actor_for(host["owner"]), name="Tier 1")
    add_team_members(actor=actor_for(host["owner"]), team=team, member_ids=[agent.pk, other.pk])
    team_figures = owner_api.get(f"/teams/{team.pk}/performance").json()
    assert team_figures["tickets_resolved"] == 3
    assert team_figures["median_response_seconds"] == 100
    assert team_figures["csat_average"] == pytest.approx(3.33, abs=0.01)

    # A period in the past has nothing; a bad period is refused field by field.
    past = owner_api.get(f"/members/{agent.pk}/performance?from=2025-01-01&to=2025-01-31").json()
    assert past["tickets_handled"] == 0 and len(past["daily"]) == 31
    bad = owner_api.get(f"/members/{agent.pk}/performance?from=2026-13-01")
    assert bad.status_code == 422 and "from" in bad.json()["errors"]
    backwards = owner_api.get(f"/members/{agent.pk}/performance?from=2026-02-01&to=2026-01-01")
    assert backwards.json()["errors"] == {"from": "must not be after 'to'"}
    # Agents do not hold analytics.view.
    assert ApiClient(person=agent.person).get(f"/members/{agent.pk}/performance").status_code == 403


def test_profile_shows_presence_figures_chart_and_work_activity_with_a_type_filter(host):
    agent = host["agent"]
    _post(
        host,
        [
            {"event_id": "a", "type": "ticket_handled", "member_id": agent.pk, "ticket_id": "T-9"},
            {"event_id": "b", "type": "csat", "member_id": agent.pk, "score": 3},
        ],
    )
    page = signed_in(host["owner"]).get(f"/members/{agent.pk}/").content.decode()
    assert "Presence and performance" in page
    assert "<svg" in page and "Tickets handled" in page
    assert "Work activity" in page and "ticket T-9" in page
    assert '<option value="csat"' in page and '<option value="reply_sent"' not in page
    only_csat = (
        signed_in(host["owner"]).get(f"/members/{agent.pk}/?work_type=csat").content.decode()
    )
    assert "ticket T-9" not in only_csat and "score 3/5" in only_csat
    bad_period = signed_in(host["owner"]).get(f"/members/{agent.pk}/?perf_from=nope").content
    assert b"must be a date like 2026-01-31" in bad_period
    # The users list shows presence and tickets of the last 7 days.
    listing = signed_in(host["owner"]).get("/members/").content.decode()
    assert "Presence" in listing and "Tickets (7 days)" in listing
    # Another agent's profile: presence yes, figures and work activity no (no analytics.view).
    colleague = signed_in(make_member(host["account"])).get(f"/members/{agent.pk}/")
    if colleague.status_code == 200:
        text = colleague.content.decode()
        assert "<svg" not in text and "ticket T-9" not in text
