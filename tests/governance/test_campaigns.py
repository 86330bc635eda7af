"""Review campaigns: start, decide through the normal actions, sign off, export, remind."""

import csv
import io
from datetime import timedelta

import pytest

from crewbase.core import clock
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.governance import campaigns
from crewbase.governance.models import ReviewCampaign, ReviewItem
from crewbase.people.models import Member, MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role
from tests.console.conftest import signed_in


def _item(campaign, member):
    return ReviewItem.objects.get(campaign=campaign, member=member)


def test_a_review_decided_signed_off_and_exported(gov):
    owner = actor_for(gov["owner"])
    campaign = campaigns.start_campaign(
        actor=owner, name="Q4 review", scope="role", role_id=builtin_role("agent").pk
    )
    assert campaign.items.count() == 2
    campaigns.decide_item(
        actor=owner, item=_item(campaign, gov["agent"]), decision="confirmed", note="ok"
    )
    with pytest.raises(Conflict):
        campaigns.sign_off(actor=owner, campaign=campaign)
    campaigns.decide_item(
        actor=owner,
        item=_item(campaign, gov["agent2"]),
        decision="changed",
        role_id=builtin_role("read_only").pk,
    )
    assert Member.objects.get(pk=gov["agent2"].pk).role.builtin_key == "read_only"
    signed = campaigns.sign_off(actor=owner, campaign=campaign)
    assert len(signed.record_hash) == 64 and campaigns.verify_record(signed)
    with pytest.raises(Conflict):
        campaigns.decide_item(actor=owner, item=_item(campaign, gov["agent"]), decision="revoked")

    # Any change to the kept record shows: the signature no longer verifies.
    ReviewItem.objects.filter(campaign=campaign, member=gov["agent"]).update(note="edited later")
    assert not campaigns.verify_record(ReviewCampaign.objects.get(pk=campaign.pk))

    text = (
        signed_in(gov["owner"])
        .get(f"/access-review/reviews/{campaign.pk}/export.csv")
        .content.decode("utf-8-sig")
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert ["record_sha256", signed.record_hash] in rows
    header = rows.index(next(r for r in rows if r and r[0] == "member_email"))
    decisions = {r[0]: r[6] for r in rows[header + 1 :]}
    assert decisions == {"agnes@harbor.example": "confirmed", "omar@harbor.example": "changed"}
    record = signed_in(gov["supervisor"]).get(f"/access-review/reviews/{campaign.pk}/record/").text
    assert "@media print" in record and signed.record_hash in record


def test_revoking_deactivates_through_the_normal_action(gov):
    owner = actor_for(gov["owner"])
    campaign = campaigns.start_campaign(actor=owner, name="All", scope="all")
    campaigns.decide_item(actor=owner, item=_item(campaign, gov["agent2"]), decision="revoked")
    assert Member.objects.get(pk=gov["agent2"].pk).status == MemberStatus.DEACTIVATED
    with pytest.raises(Conflict):  # the owner cannot be deactivated
        campaigns.decide_item(actor=owner, item=_item(campaign, gov["owner"]), decision="revoked")
    assert _item(campaign, gov["owner"]).decision == ""


def test_bad_input_and_permissions(gov):
    owner = actor_for(gov["owner"])
    for kwargs, field in [
        ({"name": "", "scope": "all"}, "name"),
        ({"name": "X", "scope": "planet"}, "scope"),
        ({"name": "X", "scope": "role"}, "role"),
        ({"name": "X", "scope": "team", "team_id": "abc"}, "team"),
        ({"name": "X", "scope": "all", "reviewer_id": gov["agent"].pk}, "reviewer"),
        ({"name": "X", "scope": "all", "due": "someday"}, "due_date"),
        ({"name": "X", "scope": "all", "due": "9999-12-31"}, "due_date"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            campaigns.start_campaign(actor=owner, **kwargs)
        assert field in refused.value.errors
    with pytest.raises(PermissionDenied):
        campaigns.start_campaign(actor=actor_for(gov["supervisor"]), name="X", scope="all")
    campaign = campaigns.start_campaign(actor=owner, name="All", scope="all")
    with pytest.raises(ValidationFailed):
        campaigns.decide_item(actor=owner, item=_item(campaign, gov["agent"]), decision="changed")
    assert not ReviewCampaign.objects.exclude(pk=campaign.pk).exists()


def test_reminders_go_to_the_reviewer_every_few_days(gov, frozen):
    owner = actor_for(gov["owner"])
    campaign = campaigns.start_campaign(
        actor=owner, name="Monthly", scope="all", reviewer_id=gov["admin"].pk
    )
    assert campaigns.send_due_reminders() == 0  # just started
    frozen(clock.now() + timedelta(days=4))
    assert campaigns.send_due_reminders() == 1
    assert campaigns.send_due_reminders() == 0  # not again the same day
    mail = OutboxMessage.objects.get(payload__to="ada@harbor.example")
    assert (
        "Monthly" in mail.payload["subject"]
        and f"/access-review/reviews/{campaign.pk}/" in mail.payload["body"]
    )


def test_review_api_and_console_flow(gov):
    api = ApiClient(person=gov["owner"].person)
    started = api.post("/reviews", {"name": "API review", "scope": "all"})
    assert started.status_code == 201, started.content
    review = started.json()
    assert review["open_items"] == len(review["items"]) == 5
    for item in review["items"]:
        decided = api.post(f"/reviews/{review['id']}/items/{item['id']}", {"decision": "confirmed"})
        assert decided.status_code == 200
    signed = api.post(f"/reviews/{review['id']}/sign-off").json()
    assert signed["status"] == "signed_off" and len(signed["record_sha256"]) == 64
    assert api.get("/reviews").json()[0]["id"] == review["id"]
    assert api.post("/reviews", {"name": "X", "scope": "nobody"}).status_code == 422
    assert (
        ApiClient(person=gov["stranger"].person).get(f"/reviews/{review['id']}").status_code == 404
    )

    client = signed_in(gov["owner"])
    refused = client.post("/access-review/reviews/", {"name": "", "scope": "all"})
    assert refused.status_code == 422 and "Is required." in refused.text
    created = client.post("/access-review/reviews/", {"name": "Console review", "scope": "all"})
    campaign = ReviewCampaign.objects.get(name="Console review")
    assert created.status_code == 302
    page = client.get(f"/access-review/reviews/{campaign.pk}/").text
    assert "Record decision" in page
    item = _item(campaign, gov["agent"])
    bad = client.post(
        f"/access-review/reviews/{campaign.pk}/items/{item.pk}/", {"decision": "changed"}
    )
    assert bad.status_code == 422 and "Choose the new role." in bad.text
    client.post(f"/access-review/reviews/{campaign.pk}/items/{item.pk}/", {"decision": "confirmed"})
    assert ReviewItem.objects.get(pk=item.pk).decided_by_display.startswith("Olive")
