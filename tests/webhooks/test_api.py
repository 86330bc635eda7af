"""/api/v1/webhooks over real HTTP handling: secrets, validation, delivery log, redelivery.

Who may call what (and that another account sees 404) is in tests/authz/matrix.yaml.
"""

import json

import pytest
from django.db import transaction

from crewbase.core.models import OutboxKind, OutboxMessage, OutboxStatus
from crewbase.core.worker import WorkerLoop
from crewbase.people.actions.lifecycle import reactivate_member
from crewbase.people.models import MemberStatus
from crewbase.webhooks import signing
from crewbase.webhooks.events import emit
from crewbase.webhooks.models import WebhookEndpoint
from tests.api.client import ApiClient
from tests.conftest import actor_for, make_account, make_member
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.django_db(transaction=True)


def _owner_client():
    account, owner = make_account()
    return account, owner, ApiClient(person=owner.person)


def test_secret_is_shown_once_and_stored_encrypted():
    _, _, client = _owner_client()
    created = client.request("POST", "/webhooks", {"url": "https://hooks.example.com/x"})
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    stored = WebhookEndpoint.objects.get(pk=created.json()["id"])
    assert secret not in stored.secret_encrypted
    assert stored.secret == secret
    listed = client.get("/webhooks").json()
    assert [e["id"] for e in listed] == [stored.pk]
    assert "secret" not in listed[0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://ok.example.com", "event_types": ["member.exploded"]}, "event_types"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(body, field):
    _, _, client = _owner_client()
    response = client.request("POST", "/webhooks", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_delivery_log_and_redelivery_send_the_same_event_id_again(settings):
    settings.SMTP_URL = ""
    account, owner, client = _owner_client()
    member = make_member(account, "agent", status=MemberStatus.DEACTIVATED)
    with running_receiver() as receiver:
        created = client.request("POST", "/webhooks", {"url": receiver.url}).json()
        reactivate_member(actor=actor_for(owner), member=member)
        WorkerLoop(say=lambda _: None).run_once()

        log = client.get(f"/webhooks/{created['id']}/deliveries").json()
        assert len(log) == 1
        assert log[0]["status"] == OutboxStatus.SENT
        assert log[0]["event_type"] == "member.reactivated"
        assert [a["succeeded"] for a in log[0]["attempt_log"]] == [True]
        assert log[0]["attempt_log"][0]["latency_ms"] >= 0

        again = client.request(
            "POST", f"/webhooks/{created['id']}/deliveries/{log[0]['id']}/redeliver"
        )
        assert again.status_code == 202, again.content
        WorkerLoop(say=lambda _: None).run_once()

    assert len(receiver.requests) == 2
    ids = [json.loads(body)["id"] for _, body in receiver.requests]
    assert ids[0] == ids[1] == log[0]["event_id"]
    for headers, body in receiver.requests:
        assert headers["Crewbase-Event-Id"] == ids[0]
        assert signing.verify(created["secret"], headers, body)
    assert OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK).count() == 2


def test_switching_an_endpoint_back_on_clears_its_failure_count():
    _, _, client = _owner_client()
    created = client.request("POST", "/webhooks", {"url": "https://hooks.example.com/x"}).json()
    WebhookEndpoint.objects.filter(pk=created["id"]).update(active=False, consecutive_failures=20)
    response = client.request("PATCH", f"/webhooks/{created['id']}", {"active": True})
    assert response.status_code == 200, response.content
    assert response.json()["active"] is True
    assert response.json()["consecutive_failures"] == 0
    bad = client.request("PATCH", f"/webhooks/{created['id']}", {"active": "yes"})
    assert bad.status_code in (400, 422)


def test_another_accounts_delivery_cannot_be_redelivered_through_my_endpoint():
    _, _, client = _owner_client()
    mine = client.request("POST", "/webhooks", {"url": "https://hooks.example.com/a"}).json()
    _, other_owner = make_account()
    other_client = ApiClient(person=other_owner.person)
    theirs = other_client.request("POST", "/webhooks", {"url": "https://b.example.com"}).json()
    # A delivery of the other account's endpoint.
    with transaction.atomic():
        (row,) = emit(actor_for(other_owner), "member.joined", {"member_id": other_owner.pk})
    assert row.payload["endpoint_id"] == theirs["id"]
    response = client.request("POST", f"/webhooks/{mine['id']}/deliveries/{row.pk}/redeliver")
    assert response.status_code == 404
    assert client.get(f"/webhooks/{theirs['id']}/deliveries").status_code == 404


def test_deleting_an_endpoint_closes_its_queued_events():
    account, owner, client = _owner_client()
    created = client.request("POST", "/webhooks", {"url": "https://hooks.example.com/x"}).json()
    with transaction.atomic():
        (row,) = emit(actor_for(owner), "member.joined", {"member_id": owner.pk})
    assert client.request("DELETE", f"/webhooks/{created['id']}").status_code == 204
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert not WebhookEndpoint.objects.filter(account=account).exists()
