"""The webhooks console page (security.manage): create with the secret shown once, the
delivery log with status codes, redelivery, switching off and on, deleting with a confirmation."""

import re

import pytest

from crewbase.core.models import OutboxKind, OutboxMessage
from crewbase.core.worker import WorkerLoop
from crewbase.people.actions.changes import change_role
from crewbase.webhooks.models import WebhookEndpoint
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.console.conftest import signed_in
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_adds_a_webhook_sees_its_log_and_redelivers(settings):
    settings.SMTP_URL = ""
    account, owner = make_account()
    client = signed_in(owner)
    empty = client.get("/security/webhooks/").content.decode()
    assert "No webhooks yet" in empty
    with running_receiver() as receiver:
        created = client.post(
            "/security/webhooks/", {"url": receiver.url, "event_types": ["member.role_changed"]}
        )
        assert created.status_code == 201
        page = created.content.decode()
        secret = re.search(r"(whsec_[0-9a-f]{64})", page).group(1)
        endpoint = WebhookEndpoint.objects.get(account=account)
        assert endpoint.secret == secret
        assert secret not in client.get("/security/webhooks/").content.decode()  # once only

        change_role(
            actor=actor_for(owner), member=make_member(account), role_id=builtin_role("admin").pk
        )
        queued = client.get(f"/security/webhooks/{endpoint.pk}/").content.decode()
        assert "Not sent yet" in queued and "Retrying" not in queued
        WorkerLoop(say=lambda _: None).run_once()
        detail = client.get(f"/security/webhooks/{endpoint.pk}/").content.decode()
        assert "member.role_changed" in detail and "HTTP 200" in detail and "Delivered" in detail

        row = OutboxMessage.objects.get(kind=OutboxKind.WEBHOOK)
        again = client.post(f"/security/webhooks/{endpoint.pk}/deliveries/{row.pk}/redeliver/")
        assert again.status_code == 302
        WorkerLoop(say=lambda _: None).run_once()
    ids = [h["Crewbase-Event-Id"] for h, _ in receiver.requests]
    assert ids == [row.payload["event"]["id"]] * 2  # redelivered with the same event id


def test_bad_input_is_shown_on_the_field_and_switching_and_deleting_work(settings):
    _, owner = make_account()
    client = signed_in(owner)
    refused = client.post("/security/webhooks/", {"url": "ftp://example.com/x"})
    assert refused.status_code == 422
    assert "Must be an http:// or https:// URL." in refused.content.decode()
    settings.CREWBASE_WEBHOOK_ALLOW_PRIVATE = False
    internal = client.post("/security/webhooks/", {"url": "http://169.254.169.254/latest"})
    assert "must not point at a private" in internal.content.decode().lower()
    assert not WebhookEndpoint.objects.exists()

    client.post("/security/webhooks/", {"url": "https://hooks.example.com/in"})
    endpoint = WebhookEndpoint.objects.get()
    client.post(f"/security/webhooks/{endpoint.pk}/switch/", {"active": "off"})
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "Switch on again" in client.get(f"/security/webhooks/{endpoint.pk}/").content.decode()
    client.post(f"/security/webhooks/{endpoint.pk}/switch/", {"active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.active

    confirm = client.get(f"/security/webhooks/{endpoint.pk}/delete/").content.decode()
    assert "Delete this webhook?" in confirm
    assert client.post(f"/security/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_only_security_managers_see_it_and_other_accounts_get_404():
    account, owner = make_account()
    client = signed_in(owner)
    client.post("/security/webhooks/", {"url": "https://hooks.example.com/in"})
    endpoint = WebhookEndpoint.objects.get()
    supervisor = signed_in(make_member(account, "supervisor"))
    assert supervisor.get("/security/webhooks/").status_code == 403
    _, stranger = make_account()
    assert signed_in(stranger).get(f"/security/webhooks/{endpoint.pk}/").status_code == 404
