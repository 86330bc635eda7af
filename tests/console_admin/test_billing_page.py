"""/billing/: plan and seats, billing contact and ownership transfers, cancel and undo."""

from crewbase.audit.models import ActivityEvent
from crewbase.core.models import OutboxMessage
from crewbase.people.models import Member
from tests.conftest import make_member
from tests.console_admin.conftest import client_for


def test_shows_plan_users_and_agent_seats(scene):
    scene.account.user_limit = 10
    scene.account.paid_agent_seats = 2
    scene.account.save()
    scene.agent.agent_access = True
    scene.agent.save()
    html = client_for(scene.owner).get("/billing/").content.decode()
    # Owner (agent access from creation) + agent hold seats; owner, admin, agent are users.
    assert "3 of 10 used" in html
    assert "2 of 3 used" in html
    assert scene.owner.email in html


def test_agent_is_refused_and_sees_no_link(scene):
    client = client_for(scene.agent)
    assert client.get("/billing/").status_code == 403
    refused = client.post("/billing/billing-contact/", {"new_contact": scene.agent.pk})
    assert refused.status_code == 403
    assert 'href="/billing/"' not in client.get("/settings/").content.decode()
    scene.owner.refresh_from_db()
    assert scene.owner.is_billing_contact


def test_admin_transfers_the_billing_contact(scene):
    client = client_for(scene.admin)
    response = client.post("/billing/billing-contact/", {"new_contact": scene.agent.pk})
    assert response.status_code == 302
    assert Member.objects.get(account=scene.account, is_billing_contact=True) == scene.agent
    assert ActivityEvent.objects.filter(
        account=scene.account, action="account.billing_contact_changed"
    ).exists()
    mail = [m.payload for m in OutboxMessage.objects.filter(account=scene.account)]
    assert any(p["to"] == scene.agent.email and p["template"] == "billing_contact" for p in mail)


def test_admin_cannot_transfer_ownership_or_cancel(scene):
    client = client_for(scene.admin)
    html = client.get("/billing/").content.decode()
    assert "Transfer ownership" not in html and "Cancel the account" not in html
    response = client.post("/billing/ownership/", {"new_owner": scene.admin.pk, "confirmed": "yes"})
    assert response.status_code == 403
    assert client.post("/billing/cancel/", {"confirmed": "yes"}).status_code == 403
    scene.owner.refresh_from_db()
    scene.account.refresh_from_db()
    assert scene.owner.is_owner and scene.account.cancel_at is None


def test_ownership_transfer_asks_for_confirmation_first(scene):
    client = client_for(scene.owner)
    confirm = client.post("/billing/ownership/", {"new_owner": scene.admin.pk})
    assert confirm.status_code == 200
    assert "Make" in confirm.content.decode() and scene.admin.email in confirm.content.decode()
    scene.owner.refresh_from_db()
    assert scene.owner.is_owner  # nothing happened yet
    done = client.post("/billing/ownership/", {"new_owner": scene.admin.pk, "confirmed": "yes"})
    assert done.status_code == 302
    assert Member.objects.get(account=scene.account, is_owner=True) == scene.admin


def test_cancel_asks_first_then_can_be_undone(scene):
    client = client_for(scene.owner)
    confirm = client.post("/billing/cancel/")
    assert confirm.status_code == 200 and "Keep the account" in confirm.content.decode()
    scene.account.refresh_from_db()
    assert scene.account.cancel_at is None
    assert client.post("/billing/cancel/", {"confirmed": "yes"}).status_code == 302
    scene.account.refresh_from_db()
    assert scene.account.cancel_at is not None
    assert "scheduled to end" in client.get("/billing/").content.decode()
    assert client.post("/billing/undo-cancel/").status_code == 302
    scene.account.refresh_from_db()
    assert scene.account.cancel_at is None


def test_other_accounts_member_or_junk_is_a_field_error(scene):
    client = client_for(scene.owner)
    for value in (scene.other_owner.pk, "abc", "", "9" * 40):
        response = client.post("/billing/billing-contact/", {"new_contact": value})
        assert response.status_code == 422, value
        assert "active member of this account" in response.context["errors"]["new_contact"]
        refused = client.post("/billing/ownership/", {"new_owner": value})
        assert refused.status_code == 422, value
    assert Member.objects.get(account=scene.account, is_billing_contact=True) == scene.owner


def test_deactivated_member_cannot_become_billing_contact(scene):
    gone = make_member(scene.account, "agent", status="deactivated")
    response = client_for(scene.owner).post("/billing/billing-contact/", {"new_contact": gone.pk})
    assert response.status_code == 422


def test_unknown_change_is_not_found(scene):
    assert client_for(scene.owner).post("/billing/refund/").status_code == 404
    assert client_for(scene.owner).get("/billing/cancel/").status_code == 405
