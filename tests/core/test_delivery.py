"""Outbox delivery through a real SMTP server: sending, retries, leases and crash safety."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from crewbase.core import clock
from crewbase.core.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    DeliverySession,
    claim_due,
    deliver,
    deliver_due_task,
    send_email,
)
from crewbase.core.models import OutboxAttempt, OutboxMessage, OutboxStatus
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import Invitation
from tests.conftest import actor_for, builtin_role, make_account
from tests.core.mailtest import body_text, refused_port, run_worker_once, smtp_server
from tests.core.outbox_rows import queue_plain, reload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def real_clock():
    yield
    clock.freeze(None)


def test_invitation_reaches_the_smtp_server_with_its_key_as_message_id(smtp):
    from django_tasks_db.models import DBTaskResult

    _account, owner = make_account(name="Acme Support")
    invite_people(
        actor=actor_for(owner), emails="ann@example.com", role_id=builtin_role("agent").pk
    )
    invitation = Invitation.objects.get(email="ann@example.com")
    # The commit asked the worker to come: one task waits for it.
    assert DBTaskResult.objects.filter(task_path=deliver_due_task.module_path).count() == 1

    printed = run_worker_once()

    [message] = smtp.messages
    assert message["To"] == "ann@example.com"
    assert message["Message-ID"] == f"<invitation-{invitation.pk}@crewbase.local>"
    assert "Acme Support" in message["Subject"]
    assert f"<{owner.email}>" in message["Subject"]  # plain text: nothing HTML-escaped
    assert "/invitations/" in body_text(message)
    row = OutboxMessage.objects.get(idempotency_key=f"invitation-{invitation.pk}")
    assert (row.status, row.attempts, row.claimed_until) == (OutboxStatus.SENT, 1, None)
    assert row.attempt_log.get().succeeded
    assert f"sent email invitation-{invitation.pk} to ann@example.com" in printed
    assert DBTaskResult.objects.successful().filter(task_path=deliver_due_task.module_path).exists()


def test_server_down_keeps_the_row_with_its_attempts_and_a_later_retry_delivers_it_once(settings):
    with refused_port() as (port, holder):
        settings.SMTP_URL = f"smtp://127.0.0.1:{port}"
        row = queue_plain("bob@example.com")
        run_worker_once()
        failed = reload(row)
        assert failed.status == OutboxStatus.PENDING
        assert failed.attempts == 1
        assert "Connection refused" in failed.last_error or "ConnectionRefused" in failed.last_error
        assert failed.next_attempt_at >= failed.created_at + timedelta(seconds=30)
        attempt = OutboxAttempt.objects.get(message=row)
        assert not attempt.succeeded and attempt.error == failed.last_error

        run_worker_once()  # not due yet: nothing is tried
        assert reload(row).attempts == 1
        holder.close()  # the port is free again: the server comes back on it

    with smtp_server(port) as (_, inbox):
        clock.freeze(failed.next_attempt_at + timedelta(seconds=1))
        run_worker_once()
        run_worker_once()
        assert [m["To"] for m in inbox.messages] == ["bob@example.com"]
    done = reload(row)
    assert (done.status, done.attempts, done.last_error) == (OutboxStatus.SENT, 2, "")
    assert [a.succeeded for a in done.attempt_log.order_by("id")] == [False, True]


def test_gives_up_after_the_last_attempt_and_keeps_the_error(settings):
    with refused_port() as (port, _holder):
        settings.SMTP_URL = f"smtp://127.0.0.1:{port}"
        row = queue_plain()
        OutboxMessage.objects.filter(pk=row.pk).update(attempts=MAX_ATTEMPTS - 1)
        printed = run_worker_once()
    gave_up = reload(row)
    assert gave_up.status == OutboxStatus.FAILED
    assert gave_up.attempts == MAX_ATTEMPTS
    assert gave_up.last_error
    assert "gave up on email" in printed
    clock.freeze(clock.now() + timedelta(days=1))
    assert claim_due(10) == []


def test_a_row_claimed_by_a_worker_that_died_is_delivered_by_the_next_worker(smtp):
    row = queue_plain("carl@example.com")
    [claimed] = claim_due(10)  # worker 1 takes the row ... and dies before sending
    assert claimed.pk == row.pk and claimed.claimed_until is not None

    run_worker_once()  # worker 2, while the lease still runs: hands off
    assert smtp.messages == [] and reload(row).status == OutboxStatus.PENDING

    clock.freeze(claimed.claimed_until + timedelta(seconds=1))  # the lease ran out
    run_worker_once()
    assert [m["To"] for m in smtp.messages] == ["carl@example.com"]
    assert reload(row).status == OutboxStatus.SENT


def test_a_sent_row_is_never_sent_again(smtp):
    row = queue_plain()
    run_worker_once()
    assert len(smtp.messages) == 1

    outcome = deliver(reload(row))  # even handed straight to deliver()
    clock.freeze(clock.now() + LEASE + timedelta(hours=2))
    run_worker_once()
    assert outcome.result == "skipped"
    assert len(smtp.messages) == 1
    assert reload(row).attempts == 1


def test_a_repeat_after_a_crash_between_send_and_mark_carries_the_same_message_id(smtp):
    # The one duplicate SMTP cannot rule out: the crashed worker sent, but never marked it.
    row = queue_plain()
    with DeliverySession() as session:
        send_email(reload(row), session)
    run_worker_once()
    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"] == f"<{row.idempotency_key}@crewbase.local>"


def test_concurrent_workers_claim_disjoint_rows():
    rows = [queue_plain(f"user{n}@example.com") for n in range(24)]
    claims: list[list[int]] = []
    start = threading.Barrier(4)

    def worker():
        try:
            start.wait()
            claims.append([r.pk for r in claim_due(10)])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [pk for claim in claims for pk in claim]
    assert len(claimed) == len(set(claimed)) == len(rows)


def test_one_waiting_task_is_enough_for_many_messages(smtp):
    from django_tasks_db.models import DBTaskResult

    for n in range(3):
        queue_plain(f"batch{n}@example.com")
    assert DBTaskResult.objects.ready().filter(task_path=deliver_due_task.module_path).count() == 1
    run_worker_once()
    assert sorted(m["To"] for m in smtp.messages) == [f"batch{n}@example.com" for n in range(3)]
