"""The members list filtered by onboarding (LIFE-8) on a large account, timed. Not a test.

    .venv/bin/python bench/onboarding.py --members 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gov_bench .venv/bin/python \\
        bench/onboarding.py

Builds one account (a third of members with agent access, most of those in a queue, most
members with personal settings saved, two manual onboarding items ticked for most), then
reads the first page of the list selector unfiltered (the baseline), with
onboarding=complete and =incomplete, and the Onboarding column's values for that page.
Prints p50/p95 in ms and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import random
import time

import benchkit


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", default="/tmp/gov/bench")
    parser.add_argument("--reuse", action="store_true", help="time the database built last run")
    return parser.parse_args()


def build(count: int):
    from django.db import transaction
    from tests.conftest import builtin_role, make_account

    from crewbase.governance.models import ChecklistItem, ChecklistTick
    from crewbase.org.models import Queue
    from crewbase.people.models import Member, MemberStatus, Person

    rng = random.Random(9)
    account, owner = make_account(name="Onboarding bench")
    queue = Queue.objects.create(account=account, name="Support")
    items = [
        ChecklistItem.objects.create(account=account, kind="onboarding", title=t, position=n)
        for n, t in enumerate(["Training", "Shadowed an agent"])
    ]
    agent = builtin_role("agent")
    for offset in range(0, count, 5000):
        size = min(5000, count - offset)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    email=f"o{offset + n}@bench.example",
                    first_name="Pat",
                    last_name=f"Person{offset + n}",
                    is_registered=True,
                    password="!",
                    preferences={"time_zone": "UTC"} if rng.random() < 0.8 else {},
                )
                for n in range(size)
            )
            members = Member.objects.bulk_create(
                Member(
                    account=account,
                    person=p,
                    email=p.email,
                    display_name=f"{p.first_name} {p.last_name}",
                    first_name=p.first_name,
                    last_name=p.last_name,
                    role=agent,
                    status=MemberStatus.ACTIVE,
                    agent_access=rng.random() < 0.3,
                )
                for p in people
            )
            Queue.members.through.objects.bulk_create(
                Queue.members.through(queue_id=queue.pk, member_id=m.pk)
                for m in members
                if m.agent_access and rng.random() < 0.8
            )
            ChecklistTick.objects.bulk_create(
                ChecklistTick(item=item, member=m, ticked_at=owner.created_at)
                for m in members
                for item in items
                if rng.random() < 0.85
            )
    return owner


def main() -> None:
    args = parse_args()
    benchkit.setup_django(args.data_dir)
    from django.db import connection
    from tests.conftest import actor_for

    from crewbase.governance.onboarding import progress_for, record_completions
    from crewbase.people.selectors import list_members

    if args.reuse:
        from crewbase.people.models import Member

        owner = Member.objects.get(account__name="Onboarding bench", is_owner=True)
    else:
        benchkit.fresh_database()
        began = time.perf_counter()
        owner = build(args.members)
        took = time.perf_counter() - began
        print(f"{connection.vendor}: {args.members} members built in {took:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        began, recorded = time.perf_counter(), 0
        while batch := record_completions(owner.account, limit=20_000):
            recorded += batch
        took = time.perf_counter() - began
        print(f"worker sweep recorded {recorded} completions in {took:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = actor_for(owner)
    complete = list_members(actor, onboarding="complete").items
    print(f"first page complete: {len(complete)} members")

    scenarios = {
        "list, no filter (baseline)": lambda: list_members(actor).items,
        "list, onboarding=complete": lambda: list_members(actor, onboarding="complete").items,
        "list, onboarding=incomplete": lambda: list_members(actor, onboarding="incomplete").items,
        "column values, one page of 50": lambda: progress_for(complete),
        "sweep with nothing new (every 5 min)": lambda: record_completions(actor.account),
    }
    base = None
    print(f"{'scenario':34} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7}")
    for name, run in scenarios.items():
        p50, p95 = benchkit.timed(run, args.runs)
        base = base or p50
        print(f"{name:34} {p50:8.1f} {p95:8.1f} {p50 / base:7.1f}")


if __name__ == "__main__":
    main()
