"""Console pages: selection on the members list, preview, confirm, progress, report, CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crewbase.bulk.models import BulkJob
from crewbase.people.models import Member, MemberStatus
from tests.conftest import builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


def client_for(member) -> Client:
    client = Client()
    client.force_login(member.person)
    return client


def test_the_members_list_offers_checkboxes_and_the_bar_only_to_those_who_may_act():
    account, owner = make_account()
    agent = make_member(account, "agent")
    page = client_for(owner).get("/members/").content.decode()
    assert f'name="member" value="{agent.pk}" form="bulk-selection"' in page
    assert 'id="bulk-selection"' in page and "All 2 members that match" in page
    page = client_for(agent).get("/members/").content.decode()
    assert 'form="bulk-selection"' not in page and 'id="bulk-selection"' not in page


def test_preview_then_confirm_then_results_and_report():
    account, owner = make_account()
    agents = [make_member(account, "agent") for _ in range(2)]
    client = client_for(owner)
    role = builtin_role("supervisor").pk
    query = f"?action=change_role&scope=selected&role={role}&reason=other"
    query += "".join(f"&member={m.pk}" for m in agents) + f"&member={owner.pk}"
    page = client.get("/bulk/preview/" + query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Change role to Supervisor" in text
    assert "the owner cannot be demoted" in text
    assert "Confirm: change 2 members" in text
    assert Member.objects.filter(role_id=role).count() == 0

    data = {"action": "change_role", "scope": "selected", "role": str(role)}
    response = client.post("/bulk/run/", {**data, "member": [m.pk for m in agents] + [owner.pk]})
    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/{job.pk}/"
    page = client.get(f"/bulk/{job.pk}/").content.decode()
    assert "Finished at" in page and "role Agent → Supervisor" in page
    report = b"".join(client.get(f"/bulk/{job.pk}/report.csv").streaming_content).decode()
    assert report.startswith("\ufeffmember_id,email,outcome,message,done_at")
    assert f"{owner.email},skipped,the owner cannot be demoted" in report
    assert "Change role" in client.get("/bulk/").content.decode()


def test_all_that_match_uses_the_list_filters_and_bad_input_is_a_page_not_a_500():
    account, owner = make_account()
    invited = make_member(account, "agent", status=MemberStatus.INVITED)
    client = client_for(owner)
    page = client.get("/bulk/preview/?action=deactivate&scope=all&f_status=invited")
    assert "has not joined yet" in page.content.decode()
    assert invited.email in page.content.decode()
    page = client.get("/bulk/preview/?action=deactivate&scope=all&f_status=asleep")
    assert page.status_code == 422
    assert "Must be one of: active, invited" in page.content.decode()
    page = client.get("/bulk/preview/?action=add_skill&scope=selected&member=1&skill=x&level=high")
    assert page.status_code == 422
    page = client.post("/bulk/run/", {"action": "nope", "scope": "selected"})
    assert page.status_code == 422


def test_an_agent_gets_a_403_page():
    account, owner = make_account()
    agent = make_member(account, "agent")
    page = client_for(agent).get(f"/bulk/preview/?action=deactivate&member={owner.pk}")
    assert page.status_code == 403


def test_csv_upload_review_and_send():
    account, owner = make_account()
    client = client_for(owner)
    upload = SimpleUploadedFile(
        "people.csv", b"email;role\nana@example.com;Agent\nbad@;Agent\n", "text/csv"
    )
    response = client.post("/bulk/import/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "bad@ is not a valid email address" in page
    assert "Send 1 invitation" in page
    sent = client.post(response["Location"] + "send/", follow=True).content.decode()
    assert "Sent 1 invitations" in sent
    assert Member.objects.filter(account=account, status=MemberStatus.INVITED).count() == 1


def test_csv_upload_refusals_show_next_to_the_file_field():
    _account, owner = make_account()
    client = client_for(owner)
    png = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/csv")
    page = client.post("/bulk/import/", {"file": png})
    assert page.status_code == 422
    assert 'id="id_file_error"' in page.content.decode()
    assert "binary data" in page.content.decode()
    page = client.post("/bulk/import/", {})
    assert "Choose a CSV file to upload." in page.content.decode()
