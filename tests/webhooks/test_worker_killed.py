"""FAIL-3 for webhooks: a `crewbase worker` process killed with SIGKILL in the middle of a
delivery loses no event; a repeat carries the same event id (at-least-once, documented)."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from crewbase.core import clock
from crewbase.core.models import OutboxKind, OutboxMessage, OutboxStatus
from crewbase.core.worker import WorkerLoop
from crewbase.people.actions.changes import change_role
from crewbase.webhooks.actions import create_webhook_endpoint
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.freshness.test_two_processes import shared_database_url
from tests.webhooks.receiver import running_receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CREWBASE = str(Path(sys.executable).parent / "crewbase")
EVENTS = 12
# How long to wait for the child to get going; a bound on waiting, not an assertion.
STARTUP_WAIT = 60


def start_worker() -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=shared_database_url(),
        CREWBASE_WEBHOOK_ALLOW_PRIVATE="1",
        SMTP_URL="",
    )
    return subprocess.Popen(
        [CREWBASE, "worker", "--sweep-interval", "0.2", "--poll-interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(autouse=True)
def _release_clock():
    yield
    clock.freeze(None)


def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_only_with_the_same_id():
    account, owner = make_account()
    actor = actor_for(owner)
    with running_receiver() as receiver:
        receiver.delay = 0.3  # long enough that the kill lands while a request is open
        create_webhook_endpoint(actor=actor, url=receiver.url)
        for _ in range(EVENTS):
            change_role(
                actor=actor, member=make_member(account), role_id=builtin_role("supervisor").pk
            )
        queued = list(
            OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK)
            .order_by("id")
            .values_list("payload__event__id", flat=True)
        )
        worker = start_worker()
        try:
            deadline = time.monotonic() + STARTUP_WAIT
            while receiver.arrived < 4 and time.monotonic() < deadline:
                if worker.poll() is not None:
                    raise RuntimeError(worker.stderr.read().decode(errors="replace"))
                time.sleep(0.05)
            assert receiver.arrived >= 4, "the worker never started delivering"
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait(timeout=20)
        receiver.delay = 0
        delivered_before_kill = len(receiver.requests)
        assert delivered_before_kill < EVENTS  # it really died half-way

        # Another worker, after the dead one's lease on its row has run out, finishes the job.
        clock.freeze(clock.now() + timedelta(minutes=6))
        for _ in range(3):
            WorkerLoop(say=lambda _: None).run_once()
        received = [json.loads(body)["id"] for _, body in receiver.requests]

    assert set(received) == set(queued)  # nothing lost
    first_seen = list(dict.fromkeys(received))
    assert first_seen == queued  # still in order
    assert len(received) - len(first_seen) <= 1  # at most the one in flight, same id
    assert (
        OutboxMessage.objects.filter(kind=OutboxKind.WEBHOOK, status=OutboxStatus.SENT).count()
        == EVENTS
    )
