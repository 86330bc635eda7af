"""Onboarding progress (LIFE-8): automatic and manual items, the list column and filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.core.worker import run_periodic
from crewbase.governance import checklists
from crewbase.governance.onboarding import progress_for
from crewbase.org.actions import create_queue, set_queue_members
from crewbase.people.models import Member, Person
from tests.api.client import ApiClient
from tests.conftest import actor_for, make_member
from tests.console.conftest import signed_in


def _configure(member):
    person = Person.objects.get(pk=member.person_id)
    person.preferences = {"time_zone": "Europe/Paris"}
    person.save()


def test_automatic_items_tick_from_facts_and_manual_items_by_a_supervisor(gov):
    agent = gov["agent"]
    owner = actor_for(gov["owner"])
    training = checklists.create_item(actor=owner, kind="onboarding", title="Training completed")
    progress = progress_for([agent])[agent.pk]
    assert {s.key: s.done for s in progress.steps} == {
        "accepted": True,
        "profile": True,
        "notifications": False,
        "queue": False,
        "twofa": True,
        f"item_{training.pk}": False,
    }
    _configure(agent)
    queue = create_queue(actor=owner, name="Billing")
    set_queue_members(actor=owner, queue=queue, member_ids=[agent.pk])
    checklists.set_tick(
        actor=actor_for(gov["supervisor"]), member=agent, item=training, state="done"
    )
    progress = progress_for([Member.objects.get(pk=agent.pk)])[agent.pk]
    assert progress.complete and str(progress) == "Complete"
    step = progress.steps[-1]
    assert step.ticked_by.startswith("Pat ") and step.ticked_at is not None
    assert ActivityEvent.objects.filter(action="checklist.ticked", target_id=agent.pk).exists()
    with pytest.raises(PermissionDenied):
        checklists.set_tick(
            actor=actor_for(gov["agent2"]), member=agent, item=training, state="open"
        )
    with pytest.raises(ValidationFailed):
        checklists.set_tick(actor=owner, member=agent, item=training, state="skipped")


def test_item_titles_are_checked(gov):
    owner = actor_for(gov["owner"])
    checklists.create_item(actor=owner, kind="onboarding", title="Shadowed an agent")
    for kind, title, field in [
        ("onboarding", "  ", "title"),
        ("onboarding", "shadowed an AGENT", "title"),
        ("lunch", "x", "kind"),
        ("onboarding", "x" * 201, "title"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            checklists.create_item(actor=owner, kind=kind, title=title)
        assert field in refused.value.errors
    with pytest.raises(PermissionDenied):
        checklists.create_item(actor=actor_for(gov["supervisor"]), kind="onboarding", title="Y")


def test_progress_of_a_page_takes_a_fixed_number_of_queries(gov):
    owner = actor_for(gov["owner"])
    checklists.create_item(actor=owner, kind="onboarding", title="Training")
    few = list(Member.objects.filter(account=gov["account"])[:2])
    for _ in range(20):
        make_member(gov["account"], "agent")
    many = list(Member.objects.filter(account=gov["account"]))
    with CaptureQueriesContext(connection) as small:
        progress_for(few)
    with CaptureQueriesContext(connection) as large:
        progress_for(many)
    assert len(large) == len(small)


def test_the_onboarding_filter_and_column_in_the_api_and_console(gov):
    owner = actor_for(gov["owner"])
    item = checklists.create_item(actor=owner, kind="onboarding", title="Training")
    for member in Member.objects.filter(account=gov["account"]):
        if member.pk != gov["agent"].pk:
            _configure(member)
    api = ApiClient(person=gov["owner"].person)
    assert api.get("/members?onboarding=complete").json()["items"] == []

    # A tick records the completion at once; facts changed elsewhere, at the worker's sweep.
    checklists.set_tick(actor=owner, member=gov["agent2"], item=item, state="done")
    checklists.set_tick(actor=owner, member=gov["agent"], item=item, state="done")
    complete = {m["email"] for m in api.get("/members?onboarding=complete").json()["items"]}
    assert complete == {"omar@harbor.example"}  # no agent access: no queue needed
    checklists.set_tick(actor=owner, member=gov["admin"], item=item, state="done")
    assert run_periodic_jobs() is None
    complete = {m["email"] for m in api.get("/members?onboarding=complete").json()["items"]}
    assert complete == {"omar@harbor.example", "ada@harbor.example"}
    incomplete = {m["email"] for m in api.get("/members?onboarding=incomplete").json()["items"]}
    assert "agnes@harbor.example" in incomplete  # no settings, no queue
    assert complete.isdisjoint(incomplete)
    assert len(complete | incomplete) == Member.objects.filter(account=gov["account"]).count()
    refused = api.get("/members?onboarding=maybe").json()
    assert refused["errors"] == {"onboarding": "must be complete or incomplete"}

    # An item added later does not un-onboard those already onboarded.
    checklists.create_item(actor=owner, kind="onboarding", title="Shadowed an agent")
    assert len(api.get("/members?onboarding=complete").json()["items"]) == 2
    page = signed_in(gov["owner"]).get("/members/?onboarding=incomplete").text
    assert "Onboarding" in page and "5 of 7" in page


def test_checklist_api_and_profile_section(gov):
    api = ApiClient(person=gov["owner"].person)
    created = api.post("/checklist-items", {"kind": "onboarding", "title": "Training"})
    assert created.status_code == 201
    item_id = created.json()["id"]
    path = f"/members/{gov['agent'].pk}/checklist/{item_id}"
    body = api.post(path, {"state": "done"}).json()
    assert body["onboarding_done"] == 4 and body["onboarding_total"] == 6
    assert api.post(path, {"state": "skipped"}).status_code == 422  # onboarding items: no skip
    assert (
        api.patch(f"/checklist-items/{item_id}", {"title": "Product training"}).status_code == 200
    )
    client = signed_in(gov["supervisor"])
    client.post(f"/governance/members/{gov['agent'].pk}/checklist/{item_id}/", {"state": "open"})
    assert api.get(f"/members/{gov['agent'].pk}/checklist").json()["onboarding_done"] == 3
    assert api.delete(f"/checklist-items/{item_id}").status_code == 204
    other = ApiClient(person=gov["stranger"].person)
    assert other.get(f"/members/{gov['agent'].pk}/checklist").status_code == 404


def test_profile_sections_show_progress_and_schedule(gov):
    owner = actor_for(gov["owner"])
    item = checklists.create_item(actor=owner, kind="onboarding", title="Product training")
    checklists.set_tick(actor=owner, member=gov["agent"], item=item, state="done")
    page = signed_in(gov["supervisor"]).get(f"/members/{gov['agent'].pk}/").text
    assert "Product training" in page and "4 of 6" in page and "Untick" in page
    assert "Scheduled change" not in page  # supervisors do not manage members
    page = signed_in(gov["owner"]).get(f"/members/{gov['agent'].pk}/").text
    assert "Scheduled change" in page and "Europe/Paris" in page


def run_periodic_jobs():
    """What the worker runs on each sweep (the onboarding job once a minute, forced here)."""
    from crewbase.governance import onboarding

    onboarding._last_sweep["at"] = float("-inf")
    return run_periodic()


def test_checklist_items_page_adds_renames_and_deletes(gov):
    client = signed_in(gov["owner"])
    assert "No manual onboarding items yet." in client.get("/access-review/checklists/").text
    refused = client.post("/access-review/checklists/", {"kind": "onboarding", "title": " "})
    assert refused.status_code == 422 and "Is required." in refused.text
    client.post("/access-review/checklists/", {"kind": "offboarding", "title": "Laptop returned"})
    item = checklists.items_of(gov["account"], "offboarding")[0]
    client.post(f"/access-review/checklists/{item.pk}/rename/", {"title": "Laptop handed back"})
    assert "Laptop handed back" in client.get("/access-review/checklists/").text
    assert "Delete" in client.get(f"/access-review/checklists/{item.pk}/delete/").text
    client.post(f"/access-review/checklists/{item.pk}/delete/")
    assert checklists.items_of(gov["account"], "offboarding") == []
    assert client.get("/access-review/checklists/abc/delete/").status_code == 404
    assert signed_in(gov["supervisor"]).get("/access-review/checklists/").status_code == 403
    other = signed_in(gov["stranger"])
    assert (
        other.post(f"/access-review/checklists/{item.pk}/rename/", {"title": "x"}).status_code
        == 404
    )


def test_schedule_from_the_profile_with_errors_next_to_the_field(gov, frozen):
    from datetime import UTC, datetime

    frozen(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    client = signed_in(gov["owner"])
    url = f"/governance/members/{gov['agent'].pk}/schedule/"
    refused = client.post(url, {"action": "deactivate", "run_at": "2026-11-01T09:00"})
    assert refused.status_code == 422 and "Must be in the future." in refused.text
    done = client.post(
        url, {"action": "deactivate", "run_at": "2026-12-24T17:00", "reason": "temporary_leave"}
    )
    assert done.status_code == 302
    page = client.get(f"/members/{gov['agent'].pk}/").text
    assert "2026-12-24 17:00" in page and "Temporary leave" in page
    client.post(f"/governance/members/{gov['agent'].pk}/schedule/cancel/")
    assert "Nothing scheduled." in client.get(f"/members/{gov['agent'].pk}/").text
    assert signed_in(gov["supervisor"]).post(url, {}).status_code == 403
