"""Bulk work: a 10,000-row invitation CSV, and a bulk role change over many members.

    .venv/bin/python bench/bulk.py                       # SQLite under --data-dir
    DATABASE_URL=postgres://…/crewbase_bench .venv/bin/python bench/bulk.py

1. CSV: a --rows file (default 10,000) is parsed and reviewed against the account, then sent:
   every row invited in one transaction (member, invitation, email in the outbox, activity
   event). Prints the time of each step; the target is ≤ 10 s for both together.
2. Role change: --members members (default 100,000) get a new role through the bulk action,
   run by the real worker loop (outbox sweep → job slices); prints the time to write the job,
   the run's rows/s and the total time. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import fresh_database, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-bulk")
    return parser.parse_args()


def csv_file(rows: int, team: str) -> bytes:
    lines = ["Email;First name;Last name;Role;Teams;Agent access;Phone"]
    for i in range(rows):
        lines.append(f"person{i}@example.com;First{i};Last{i};Agent;{team};no;+1 555 {i:06d}")
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def bench_csv(owner, rows: int) -> None:
    from tests.conftest import actor_for

    from crewbase.bulk.import_actions import review_csv_import, send_csv_import
    from crewbase.bulk.models import CsvImport
    from crewbase.core.models import OutboxMessage
    from crewbase.core.worker import WorkerLoop
    from crewbase.org.models import Team

    Team.objects.create(account=owner.account, name="Tier 1")
    data = csv_file(rows, "Tier 1")
    began = time.perf_counter()
    upload, review = review_csv_import(actor=actor_for(owner), data=data, filename="bench.csv")
    reviewed = time.perf_counter()
    result = send_csv_import(actor=actor_for(owner), upload=upload)
    queued = time.perf_counter()
    assert review.count("ready") == rows
    print(f"csv: {rows} rows, {len(data) / 1024:.0f} KiB")
    print(f"csv: parsed + reviewed in {reviewed - began:.2f} s")
    print(f"csv: re-checked under the lock + {result.upload.status} in {queued - reviewed:.2f} s")
    print(f"csv: validated + queued {queued - began:.2f} s (target ≤ 10 s)")
    loop = WorkerLoop(say=lambda line: None)
    while CsvImport.objects.filter(pk=upload.pk, status="queued").exists():
        loop.tasks.run()  # only the import: delivering 10,000 emails is not measured here
        loop.sweep(limit=1)
    sent = time.perf_counter()
    upload.refresh_from_db()
    emails = OutboxMessage.objects.filter(kind="email").count()
    print(
        f"csv: worker invited {upload.invited_count} ({emails} emails queued in the outbox) "
        f"in {sent - queued:.1f} s = {upload.invited_count / (sent - queued):.0f} rows/s"
    )


def bench_role_change(owner, count: int) -> None:
    from tests.bulk.builders import many_agents
    from tests.conftest import actor_for, builtin_role

    from crewbase.bulk.actions import start_bulk_action
    from crewbase.bulk.models import BulkJob
    from crewbase.core.worker import WorkerLoop

    many_agents(owner.account, count)
    began = time.perf_counter()
    job = start_bulk_action(
        actor=actor_for(owner),
        action="change_role",
        params={"role": builtin_role("supervisor").pk},
        filter={"role": str(builtin_role("agent").pk)},
    )
    queued = time.perf_counter()
    loop = WorkerLoop(say=lambda line: None)
    while BulkJob.objects.filter(pk=job.pk, status="done").count() == 0:
        loop.run_once()
    finished = time.perf_counter()
    job.refresh_from_db()
    run_seconds = finished - queued
    print(
        f"role change: {job.total} members selected by a filter; "
        f"job written in {queued - began:.2f} s"
    )
    print(
        f"role change: {job.changed} changed, {job.failed} failed, worker {run_seconds:.1f} s "
        f"= {job.changed / run_seconds:.0f} rows/s; total {finished - began:.1f} s"
    )


def main() -> None:
    args = parse_args()
    setup_django(args.data_dir)
    from django.db import connection
    from tests.conftest import make_account

    fresh_database()
    print(f"database: {connection.vendor}")
    account, owner = make_account(name="Bench CSV")
    account.user_limit = None
    account.save()
    bench_csv(owner, args.rows)
    account, owner = make_account(name="Bench roles")
    bench_role_change(owner, args.members)


if __name__ == "__main__":
    main()
