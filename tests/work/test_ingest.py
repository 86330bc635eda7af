"""POST /work-events (ACT-6): per-event results, idempotency, account isolation, limits."""

import json

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.work.models import WorkEvent
from tests.api.client import ApiClient
from tests.conftest import make_account, make_member
from tests.work.conftest import host_token

pytestmark = pytest.mark.django_db


def test_a_good_batch_is_stored_and_reported_event_by_event(host):
    agent = host["agent"]
    events = [
        {"event_id": "h-1", "type": "ticket_handled", "member_id": agent.pk, "ticket_id": 17},
        {"event_id": "h-2", "type": "reply_sent", "member_email": "Agent.One@example.com"},
        {"event_id": "h-3", "type": "call_handled", "member_id": agent.pk},
        {
            "event_id": "h-4",
            "type": "ticket_resolved",
            "member_id": agent.pk,
            "response_seconds": 90,
            "occurred_at": "2026-11-29T10:00:00Z",
        },
        {"event_id": "h-5", "type": "csat", "member_id": agent.pk, "score": 4},
    ]
    answer = host["api"].post("/work-events", {"events": events})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (5, 0, 0)
    assert [r["status"] for r in body["results"]] == ["accepted"] * 5
    stored = WorkEvent.objects.filter(account=host["account"]).order_by("event_id")
    assert [(e.event_id, e.member_id) for e in stored] == [
        (f"h-{n}", agent.pk) for n in range(1, 6)
    ]
    assert stored.get(event_id="h-1").ticket_ref == "17"
    # One activity event per batch, not one per work event (they are counted in it).
    batch = ActivityEvent.objects.filter(account=host["account"], action="work.events_received")
    assert [e.after["accepted"] for e in batch] == [5]


def test_a_retried_post_reports_duplicates_and_changes_nothing(host):
    events = [{"event_id": "x-1", "type": "ticket_handled", "member_id": host["agent"].pk}]
    assert host["api"].post("/work-events", {"events": events}).json()["accepted"] == 1
    again = host["api"].post("/work-events", {"events": events + events})
    assert again.status_code == 200
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    assert WorkEvent.objects.filter(account=host["account"]).count() == 1
    # Inside one batch, the second copy of a new id is the duplicate.
    twice = [{"event_id": "x-2", "type": "reply_sent", "member_id": host["agent"].pk}] * 2
    assert [
        r["status"] for r in host["api"].post("/work-events", {"events": twice}).json()["results"]
    ] == [
        "accepted",
        "duplicate",
    ]


def test_bad_events_are_rejected_one_by_one_and_the_good_ones_kept(host):
    stranger_account, _ = make_account()
    stranger = make_member(stranger_account, email="stranger@example.com")
    agent = host["agent"]
    events = [
        {"event_id": "ok-1", "type": "ticket_handled", "member_id": agent.pk},
        {"event_id": "bad-1", "type": "ticket_handled", "member_id": stranger.pk},
        {"event_id": "bad-2", "type": "reply_sent", "member_email": "stranger@example.com"},
        {"event_id": "bad-3", "type": "csat", "member_id": agent.pk, "score": 9},
        {"event_id": "bad-4", "type": "ticket_resolved", "member_id": agent.pk},
        {"event_id": "bad-5", "type": "nap_taken", "member_id": agent.pk},
        {"type": "reply_sent", "member_id": agent.pk},
        "not an object",
        {"event_id": "bad-6", "type": "reply_sent", "member_id": agent.pk, "colour": "red"},
        {
            "event_id": "bad-7",
            "type": "reply_sent",
            "member_id": agent.pk,
            "occurred_at": "yesterday",
        },
        {"event_id": "bad-8", "type": "reply_sent"},
        {
            "event_id": "bad-9",
            "type": "reply_sent",
            "member_id": agent.pk,
            "occurred_at": "2026-02-31T10:00:00Z",
        },
        {"event_id": "ok-2", "type": "csat", "member_id": agent.pk, "score": 5},
    ]
    answer = host["api"].post("/work-events", {"events": events})
    assert answer.status_code == 207
    body = answer.json()
    assert (body["accepted"], body["rejected"]) == (2, 11)
    errors = {r["index"]: r["errors"] for r in body["results"] if r["status"] == "rejected"}
    assert errors[1] == {"member_id": "no member with this id in the account"}
    assert errors[2] == {"member_email": "no member with this email in the account"}
    assert "score" in errors[3]
    assert "response_seconds" in errors[4]
    assert "type" in errors[5]
    assert "event_id" in errors[6]
    assert errors[7] == {"event": "must be a JSON object"}
    assert errors[8] == {"colour": "is not a field of this event type"}
    assert "occurred_at" in errors[9]
    assert "member" in errors[10]
    assert "occurred_at" in errors[11]
    assert sorted(WorkEvent.objects.values_list("event_id", flat=True)) == ["ok-1", "ok-2"]
    assert not WorkEvent.objects.filter(member_id=stranger.pk).exists()


def test_limits_and_permissions(host):
    api = host["api"]
    too_many = [{"event_id": str(n), "type": "reply_sent", "member_id": 1} for n in range(1001)]
    refused = api.post("/work-events", {"events": too_many})
    assert refused.status_code == 422
    assert "events" in json.dumps(refused.json()["errors"])
    # A 5 MB batch is read and answered event by event: each names its bad field.
    big = json.dumps(
        {
            "events": [
                {"event_id": f"{n:04}" + "z" * 186, "type": "reply_sent", "pad": "p" * 5000}
                for n in range(1000)
            ]
        }
    )
    assert len(big) > 5_000_000
    answered = api.post("/work-events", raw=big.encode())
    assert answered.status_code == 207
    assert answered.json()["rejected"] == 1000
    results = answered.json()["results"]
    assert all(r["errors"]["pad"] == "is not a field of this event type" for r in results)
    # Beyond the server's 8 MB limit the body is refused whole, before anything is read.
    huge = json.dumps({"events": [{"event_id": "1", "type": "reply_sent", "pad": "p" * 9_000_000}]})
    too_big = api.post("/work-events", raw=huge.encode())
    assert too_big.status_code == 413
    assert too_big.json()["errors"] == {"body": "too large"}
    assert "8 MB" in too_big.json()["message"]
    assert api.post("/work-events", raw=b"{not json").status_code in (400, 422)
    # A token without the scope, and a member without the permission, are refused.
    narrow = ApiClient(token=host_token(host["owner"], scopes=("users.view",)))
    assert narrow.post("/work-events", {"events": []}).status_code == 403
    agent_api = ApiClient(person=host["agent"].person)
    assert agent_api.post("/work-events", {"events": []}).status_code == 403
    assert WorkEvent.objects.count() == 0
