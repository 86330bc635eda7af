"""Events delivered through the real outbox worker to a real HTTP receiver (API-4, FAIL-3)."""

import json
from datetime import timedelta

import pytest

from crewbase.core import clock
from crewbase.core.models import OutboxAttempt, OutboxKind, OutboxMessage, OutboxStatus
from crewbase.core.worker import WorkerLoop
from crewbase.org.models import Ticket
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.webhooks import signing
from crewbase.webhooks.actions import create_webhook_endpoint
from crewbase.webhooks.models import DISABLE_AFTER_FAILURES, WebhookEndpoint
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.webhooks.example_receiver import verify as example_verify
from tests.webhooks.receiver import refused_url, running_receiver

pytestmark = pytest.mark.django_db(transaction=True)


def _run_worker() -> None:
    WorkerLoop(say=lambda _: None).run_once()


@pytest.fixture(autouse=True)
def _release_clock():
    yield
    clock.freeze(None)


def _later(seconds: int) -> None:
    clock.freeze(clock.now() + timedelta(seconds=seconds))


# Longer than the outbox's longest retry delay, so every failed row is due again.
MAX_BACKOFF_SECONDS = 3601


def _promote(owner, member) -> None:
    change_role(actor=actor_for(owner), member=member, role_id=builtin_role("supervisor").pk)


def _webhook_rows():
    return OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK)


def test_deactivation_delivers_a_signed_event_the_receiver_verifies(settings):
    settings.SMTP_URL = ""
    account, owner = make_account()
    leaver, heir = make_member(account, "agent"), make_member(account, "agent")
    ticket = Ticket.objects.create(account=account, subject="Printer on fire", assignee=leaver)
    with running_receiver() as receiver:
        _, secret = create_webhook_endpoint(
            actor=actor_for(owner), url=receiver.url, event_types=["member.deactivated"]
        )
        deactivate_member(actor=actor_for(owner), member=leaver, reassign_to=heir.pk)
        _run_worker()

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert signing.verify(secret, headers, body)
    assert example_verify(secret, headers, body)
    event = json.loads(body)
    row = _webhook_rows().get()
    assert event["id"] == row.idempotency_key == headers["Crewbase-Event-Id"]
    assert event["type"] == "member.deactivated"
    assert event["account_id"] == account.pk
    assert event["data"]["member_id"] == leaver.pk
    assert event["data"]["email"] == leaver.email
    assert event["data"]["ticket_ids"] == [ticket.pk]
    assert event["data"]["tickets_reassigned_to"] == {"member_id": heir.pk, "email": heir.email}
    assert row.status == OutboxStatus.SENT
    assert OutboxAttempt.objects.filter(message=row, succeeded=True).count() == 1
    # The endpoint subscribed to deactivations only: a role change sends nothing to it.
    change_role(actor=actor_for(owner), member=heir, role_id=builtin_role("supervisor").pk)
    assert _webhook_rows().count() == 1


def test_signature_is_rejected_for_a_wrong_secret_a_changed_body_or_an_old_timestamp():
    body = b'{"id":"whk_1","type":"member.joined"}'
    now = 1_800_000_000
    headers = signing.signed_headers("whsec_right", "whk_1", body, now)
    assert signing.verify("whsec_right", headers, body, now=now)
    assert not signing.verify("whsec_wrong", headers, body, now=now)
    assert not signing.verify("whsec_right", headers, body + b" ", now=now)
    replayed = now + signing.REPLAY_WINDOW_SECONDS + 1
    assert not signing.verify("whsec_right", headers, body, now=replayed)
    assert not signing.verify("whsec_right", {**headers, "Crewbase-Signature": ""}, body, now=now)
    assert not example_verify("whsec_wrong", headers, body)


def test_receiver_down_then_back_records_attempts_and_delivers_once(settings):
    settings.SMTP_URL = ""
    account, owner = make_account()
    member = make_member(account, "agent")
    with running_receiver() as receiver:
        endpoint, secret = create_webhook_endpoint(actor=actor_for(owner), url=receiver.url)
        receiver.status = 503
        deactivate_member(actor=actor_for(owner), member=member)
        _run_worker()
        row = _webhook_rows().get()
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert "HTTP 503" in row.last_error
        _run_worker()  # not due yet: the backoff holds it back
        assert OutboxAttempt.objects.filter(message=row).count() == 1

        receiver.status = 200
        _later(31)
        _run_worker()
        delivered_at = clock.now().timestamp()
        _later(3600)
        _run_worker()  # sent rows are never sent again

    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2
    assert list(
        OutboxAttempt.objects.filter(message=row).order_by("id").values_list("succeeded", flat=True)
    ) == [False, True]
    assert len(receiver.requests) == 1
    assert signing.verify(secret, *receiver.requests[0], now=delivered_at)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 0


def test_endpoint_is_disabled_after_consecutive_failures_and_the_owner_is_emailed(settings):
    settings.SMTP_URL = ""
    account, owner = make_account()
    endpoint, _ = create_webhook_endpoint(actor=actor_for(owner), url=refused_url())
    _promote(owner, make_member(account, "agent"))
    _promote(owner, make_member(account, "agent"))
    for _ in range(DISABLE_AFTER_FAILURES):
        # One event of the endpoint is tried at a time (in order): the first is given up on
        # after the outbox's 10 attempts, then the second fails 10 times: 20 in a row.
        _run_worker()
        _later(MAX_BACKOFF_SECONDS)

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures >= DISABLE_AFTER_FAILURES
    email = OutboxMessage.objects.get(kind=OutboxKind.EMAIL, payload__template="webhook_disabled")
    assert email.payload["to"] == owner.email
    assert endpoint.url in email.payload["body"]
    # A disabled endpoint gets no new events.
    before = _webhook_rows().count()
    _promote(owner, make_member(account, "agent"))
    assert _webhook_rows().count() == before
