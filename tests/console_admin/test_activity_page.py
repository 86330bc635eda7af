"""/activity/: filters in the URL, "who performed X", keyset pages, CSV/JSON export."""

import csv
import io
import json

import pytest
from django.db import transaction

from crewbase.access.actions import create_role
from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import record
from crewbase.people.actions.changes import update_member
from tests.conftest import actor_for, make_member
from tests.console_admin.conftest import client_for


def _rename(actor_member, target, name):
    update_member(actor=actor_for(actor_member), member=target, changes={"first_name": name})


def test_agent_is_refused_and_sees_no_link(scene):
    client = client_for(scene.agent)
    assert client.get("/activity/").status_code == 403
    assert 'href="/activity/"' not in client.get("/settings/").content.decode()
    assert 'href="/activity/"' in client_for(scene.owner).get("/settings/").content.decode()


def test_supervisor_with_audit_view_sees_the_log(scene):
    supervisor = make_member(scene.account, "supervisor")
    _rename(scene.admin, scene.agent, "Renamed")
    page = client_for(supervisor).get("/activity/")
    assert page.status_code == 200
    assert "Profile edited" in page.content.decode()


def test_type_filter_answers_who_performed_it(scene):
    _rename(scene.admin, scene.agent, "One")
    _rename(scene.owner, scene.agent, "Two")
    _rename(scene.owner, scene.admin, "Three")
    create_role(actor=actor_for(scene.admin), name="Other thing", permissions=[])
    page = client_for(scene.owner).get("/activity/", {"type": "member.updated"})
    assert page.status_code == 200
    events = page.context["events"]
    assert {e.action for e in events} == {"member.updated"} and len(events) == 3
    who = {row["actor_member_id"]: row["times"] for row in page.context["who"]}
    assert who == {scene.owner.pk: 2, scene.admin.pk: 1}
    assert "Who performed" in page.content.decode()


def test_actor_and_target_filters(scene):
    _rename(scene.admin, scene.agent, "One")
    _rename(scene.owner, scene.agent, "Two")
    _rename(scene.owner, scene.admin, "Three")
    client = client_for(scene.owner)
    by_owner = client.get("/activity/", {"actor": scene.owner.pk}).context["events"]
    assert {e.actor_member_id for e in by_owner} == {scene.owner.pk}
    to_admin = client.get("/activity/", {"target": scene.admin.pk}).context["events"]
    assert [e.after for e in to_admin] == [{"first_name": "Three"}]


def test_dates_filter_and_until_includes_its_day(scene):
    _rename(scene.admin, scene.agent, "Today")
    today = ActivityEvent.objects.filter(account=scene.account).latest("seq").created_at.date()
    client = client_for(scene.owner)
    day = today.isoformat()
    assert client.get("/activity/", {"since": day, "until": day}).context["events"]
    assert not client.get("/activity/", {"since": "2001-01-01", "until": "2001-01-31"}).context[
        "events"
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "no.such_type"}, "type"),
        ({"actor": "abc"}, "actor"),
        ({"target": "-1"}, "target"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2024-13-40"}, "until"),
        ({"since": "2024-05-02", "until": "2024-05-01"}, "until"),
        ({"since": "9999-12-31"}, None),
        ({"until": "9999-12-31"}, "until"),
        ({"older_than": "99999999999999999999999", "newer_than": "x"}, None),
    ],
)
def test_bad_filters_are_named_never_a_500(scene, params, field):
    response = client_for(scene.owner).get("/activity/", params)
    if field is None:
        assert response.status_code in (200, 422)
        return
    assert response.status_code == 422
    assert field in response.context["filters"].errors


def test_other_accounts_events_never_show(scene):
    _rename(scene.other_owner, scene.other_owner, "Elsewhere")
    page = client_for(scene.owner).get("/activity/", {"type": "member.updated"})
    assert page.context["events"] == []
    assert "No activity matches these filters" in page.content.decode()
    # Their member as a filter value simply matches nothing here.
    theirs = client_for(scene.owner).get("/activity/", {"actor": scene.other_owner.pk})
    assert theirs.context["events"] == []


def test_keyset_pages_walk_older_and_newer(scene):
    actor = actor_for(scene.admin)
    with transaction.atomic():
        for _ in range(60):
            record(actor, "member.updated", scene.agent, after={"n": 1})
    client = client_for(scene.owner)
    first = client.get("/activity/", {"type": "member.updated"})
    assert len(first.context["events"]) == 50 and first.context["newer_url"] is None
    older_url = first.context["older_url"]
    assert "type=member.updated" in older_url
    second = client.get("/activity/" + older_url)
    assert len(second.context["events"]) == 10 and second.context["older_url"] is None
    seqs = [e.seq for e in first.context["events"] + second.context["events"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 60
    back = client.get("/activity/" + second.context["newer_url"])
    assert [e.seq for e in back.context["events"]] == [e.seq for e in first.context["events"]]


def _streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_export_csv_and_json_follow_the_filters_and_are_recorded(scene):
    _rename(scene.admin, scene.agent, "One")
    create_role(actor=actor_for(scene.admin), name="Exported", permissions=[])
    client = client_for(scene.owner)
    response = client.post("/activity/export/", {"format": "csv", "type": "member.updated"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_streamed(response))))
    assert [r["action"] for r in rows] == ["member.updated"]
    as_json = json.loads(
        _streamed(client.post("/activity/export/", {"format": "json", "type": "role.created"}))
    )
    assert [e["action"] for e in as_json] == ["role.created"]
    exports = ActivityEvent.objects.filter(account=scene.account, action="activity.exported")
    assert exports.count() == 2


def test_export_needs_data_export_and_a_known_format(scene):
    auditor_role = create_role(
        actor=actor_for(scene.owner), name="Auditor", permissions=["audit.view"]
    )
    auditor = make_member(scene.account, auditor_role)
    client = client_for(auditor)
    page = client.get("/activity/")
    assert page.status_code == 200 and "Export CSV" not in page.content.decode()
    assert client.post("/activity/export/", {"format": "csv"}).status_code == 403
    owner = client_for(scene.owner)
    assert owner.post("/activity/export/", {"format": "xml"}).status_code == 422
    assert owner.post("/activity/export/", {"format": "csv", "since": "junk"}).status_code == 422
    assert client_for(scene.agent).post("/activity/export/", {"format": "csv"}).status_code == 403


def test_who_performed_counts_the_latest_events_when_the_log_is_huge(scene, monkeypatch):
    from crewbase.console.views import activity

    monkeypatch.setattr(activity, "PERFORMERS_SCAN", 2)
    _rename(scene.admin, scene.agent, "One")
    _rename(scene.owner, scene.agent, "Two")
    _rename(scene.owner, scene.admin, "Three")
    page = client_for(scene.owner).get("/activity/", {"type": "member.updated"})
    assert page.context["who_capped"] is True
    assert {r["actor_member_id"]: r["times"] for r in page.context["who"]} == {scene.owner.pk: 2}
    assert "Counted over the latest 2 matching events" in page.content.decode()
    assert len(page.context["events"]) == 3  # the list itself is not capped
