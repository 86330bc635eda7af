"""Work-event ingest and webhook delivery figures (ACT-6, API-4). Never part of the suite.

    .venv/bin/python bench/work_events.py                      # SQLite under --data-dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/work_bench .venv/bin/python bench/work_events.py

1. Sustained ingest: --batches batches of 1,000 events (members named by id, one in ten by
   email, 1% duplicates of earlier ids) posted through POST /api/v1/work-events into an
   account with --members members; prints events/s and p50/p95 per batch.
2. What reading costs afterwards: one member's 30-day figures, and the users-list column
   "tickets in 7 days" for a page of 50 members.
3. Webhook deliveries/s through the outbox worker to a local receiver, one endpoint and
   four endpoints (events of one endpoint go one at a time, in order).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchkit

TYPES = [
    "ticket_handled",
    "ticket_handled",
    "reply_sent",
    "reply_sent",
    "call_handled",
    "ticket_resolved",
    "csat",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--webhook-events", type=int, default=400)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-work")
    return parser.parse_args()


def build_members(account, count: int) -> list[tuple[int, str]]:
    from django.db import transaction

    from crewbase.access.models import Role
    from crewbase.people.models import Member, MemberStatus, Person

    role = Role.objects.get(account__isnull=True, builtin_key="agent")
    made = []
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(email=f"w{offset + n}@bench.example", password="!", is_registered=True)
                for n in range(size)
            )
            members = Member.objects.bulk_create(
                Member(
                    account=account,
                    person=p,
                    email=p.email,
                    role=role,
                    status=MemberStatus.ACTIVE,
                    display_name=p.email,
                )
                for p in people
            )
        made.extend((m.pk, m.email) for m in members)
    return made


def batch_of(rng, members, number: int, now) -> list[dict]:
    events = []
    for n in range(1000):
        member_id, email = rng.choice(members)
        kind = rng.choice(TYPES)
        # 1% repeat an id of the previous batch: what a retrying host sends.
        event_id = f"b{number - 1}-{n}" if number and rng.random() < 0.01 else f"b{number}-{n}"
        event = {
            "event_id": event_id,
            "type": kind,
            "occurred_at": (now - timedelta(minutes=rng.randrange(60 * 24 * 14))).isoformat(),
        }
        if rng.random() < 0.1:
            event["member_email"] = email
        else:
            event["member_id"] = member_id
        if kind == "ticket_resolved":
            event["response_seconds"] = rng.randrange(10, 7200)
        if kind == "csat":
            event["score"] = rng.randrange(1, 6)
        events.append(event)
    return events


def ingest(args, account, owner, members) -> None:
    from django.db import connection
    from tests.api.client import ApiClient
    from tests.work.conftest import host_token

    from crewbase.core import clock
    from crewbase.work.models import WorkEvent

    api = ApiClient(token=host_token(owner))
    rng = random.Random(7)
    now = clock.now()
    bodies = [json.dumps({"events": batch_of(rng, members, n, now)}) for n in range(args.batches)]
    samples, accepted = [], 0
    began = time.perf_counter()
    for body in bodies:
        start = time.perf_counter()
        answer = api.post("/work-events", raw=body.encode())
        samples.append((time.perf_counter() - start) * 1000)
        accepted += answer.json()["accepted"]
    elapsed = time.perf_counter() - began
    samples.sort()
    total = args.batches * 1000
    print(
        f"ingest ({connection.vendor}, {len(members):,} members): {total:,} events in "
        f"{elapsed:.1f} s = {total / elapsed:,.0f} events/s through the API; per 1,000-event "
        f"batch p50 {statistics.median(samples):.0f} ms, p95 "
        f"{samples[int(len(samples) * 0.95) - 1]:.0f} ms; {accepted:,} stored "
        f"({WorkEvent.objects.count():,} rows)"
    )


def reads(account, owner, members) -> None:
    from crewbase.core.actor import Actor
    from crewbase.people.models import Member
    from crewbase.work import performance

    actor = Actor.for_member(Member.objects.select_related("role", "account").get(pk=owner.pk))
    member_id = members[0][0]
    period = performance.parse_period(None, None)
    p50, p95 = benchkit.timed(lambda: performance.figures(actor, [member_id], period), 20)
    print(f"one member's 30-day figures: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    page = [m for m, _ in members[:50]]
    p50, p95 = benchkit.timed(lambda: performance.handled_since(page), 20)
    print(f"'tickets in 7 days' column for 50 members: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def webhooks(args, owner) -> None:
    from django.db import connection, transaction
    from tests.conftest import actor_for
    from tests.webhooks.receiver import running_receiver

    from crewbase.core.delivery import deliver_due
    from crewbase.webhooks.actions import create_webhook_endpoint
    from crewbase.webhooks.events import emit
    from crewbase.webhooks.models import WebhookEndpoint

    actor = actor_for(owner)
    for endpoints in (1, 4):
        WebhookEndpoint.objects.all().delete()
        with running_receiver() as receiver:
            for _ in range(endpoints):
                create_webhook_endpoint(actor=actor, url=receiver.url)
            with transaction.atomic():
                for n in range(args.webhook_events // endpoints):
                    emit(actor, "member.joined", {"member_id": n, "email": f"m{n}@example.com"})
            began = time.perf_counter()
            sent = 0
            while True:
                report = deliver_due(limit=1000)
                if not report.outcomes:
                    break
                sent += report.sent
            elapsed = time.perf_counter() - began
        print(
            f"webhooks ({connection.vendor}, {endpoints} endpoint(s)): {sent} delivered, "
            f"{len(receiver.requests)} received in {elapsed:.2f} s = {sent / elapsed:.0f}/s"
        )


def main() -> None:
    args = parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CREWBASE_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver is local
    benchkit.setup_django(args.data_dir)
    from django.db import connection
    from tests.conftest import make_account

    benchkit.fresh_database()
    account, owner = make_account(name="Work bench")
    began = time.perf_counter()
    members = build_members(account, args.members)
    print(
        f"{connection.vendor}, Python {platform.python_version()}: {len(members):,} members "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    ingest(args, account, owner, members)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load
            cursor.execute("ANALYZE work_workevent")
    reads(account, owner, members)
    webhooks(args, owner)


if __name__ == "__main__":
    main()
