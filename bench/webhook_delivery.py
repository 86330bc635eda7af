"""Webhook delivery throughput: events through the outbox worker to a local HTTP receiver.

    .venv/bin/python bench/webhook_delivery.py --events 500      # SQLite under --data-dir

Queues --events webhook events (one endpoint) and delivers them with the outbox's
deliver_due() to an http.server receiver on 127.0.0.1; prints events/s and the per-attempt
latency recorded in the delivery log (p50/p95). Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-webhooks")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ["CREWBASE_DATA_DIR"] = args.data_dir
    os.environ.setdefault("CREWBASE_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver is local
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewbase.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "sqlite" and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("use SQLite or a database whose name contains 'bench'")
    if connection.vendor == "sqlite":
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)

    from tests.conftest import actor_for, make_account
    from tests.webhooks.receiver import running_receiver

    from crewbase.core.delivery import deliver_due
    from crewbase.core.models import OutboxAttempt
    from crewbase.webhooks.actions import create_webhook_endpoint
    from crewbase.webhooks.events import emit

    _, owner = make_account(name="Webhook bench")
    actor = actor_for(owner)
    with running_receiver() as receiver:
        create_webhook_endpoint(actor=actor, url=receiver.url)
        with transaction.atomic():
            for n in range(args.events):
                emit(actor, "member.joined", {"member_id": n, "email": f"m{n}@example.com"})
        started = time.perf_counter()
        sent = 0
        while sent < args.events:
            report = deliver_due(limit=args.events)
            if not report.outcomes:
                break
            sent += report.sent
        elapsed = time.perf_counter() - started
        received = len(receiver.requests)
    latencies = sorted(
        (a.finished_at - a.started_at).total_seconds() * 1000 for a in OutboxAttempt.objects.all()
    )
    print(
        f"{connection.vendor}: {sent} sent, {received} received in {elapsed:.2f} s "
        f"({sent / elapsed:.0f} events/s)"
    )
    print(
        f"attempt latency p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
