"""The console's activity log page (/activity/) on a large log: full page renders, timed.

    .venv/bin/python bench/activity_log.py --events 500000          # SQLite under --data-dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_g_bench .venv/bin/python \\
        bench/activity_log.py

Builds one account with 200 members and --events activity events by bulk insert (the hash
chain is not computed: nothing here verifies it), then requests the page through Django's test
client as the owner — middleware, view, selector and template — --runs times per scenario.
The deep page is compared with the OFFSET query the same page would need without keyset
pagination. Prints p50/p95 in ms. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchkit

ACTIONS = [
    ("member.updated", 40),
    ("auth.signed_in", 40),
    ("member.role_changed", 10),
    ("member.invited", 8),
    ("role.created", 1),
    ("account.billing_contact_changed", 1),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-activity")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def build(args):
    from django.db import transaction
    from tests.conftest import make_account, make_member

    from crewbase.audit.models import ActivityChainHead, ActivityEvent

    rng = random.Random(args.seed)
    account, owner = make_account(name="Activity bench")
    members = [owner] + [make_member(account, "agent") for _ in range(199)]
    keys = [key for key, _ in ACTIONS]
    weights = [weight for _, weight in ACTIONS]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    step = timedelta(days=365) / args.events
    base_seq = ActivityEvent.objects.filter(account=account).count()
    batch = []
    for n in range(args.events):
        actor = rng.choice(members)
        target = rng.choice(members)
        batch.append(
            ActivityEvent(
                account=account,
                seq=base_seq + n + 1,
                action=rng.choices(keys, weights)[0],
                actor_kind="member",
                actor_member_id=actor.pk,
                actor_display=f"{actor.display_name} <{actor.email}>",
                target_type="member",
                target_id=target.pk,
                target_display=str(target),
                before={"phone": ""},
                after={"phone": f"+1 555 {n:07d}"},
                ip_address="203.0.113.7",
                user_agent="bench",
                created_at=start + step * n,
                prev_hash="0" * 64,
                hash="0" * 64,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                ActivityEvent.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        ActivityEvent.objects.bulk_create(batch)
    ActivityChainHead.objects.update_or_create(
        account=account, defaults={"last_seq": base_seq + args.events, "last_hash": "0" * 64}
    )
    return account, owner, members


def main() -> None:
    args = parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    benchkit.setup_django(args.data_dir)
    from django.db import connection
    from django.test import Client

    from crewbase.audit.models import ActivityEvent

    benchkit.fresh_database()
    began = time.perf_counter()
    account, owner, members = build(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    print(
        f"{connection.vendor}, Python {platform.python_version()}: {args.events:,} events "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    client = Client()
    client.force_login(owner.person)
    actor = members[17]
    deep_seq = args.events // 10  # about 90% of the way back

    def page(params):
        def run():
            response = client.get("/activity/", params)
            assert response.status_code == 200, response.status_code

        return run

    def naive_deep():
        qs = ActivityEvent.objects.filter(account=account).order_by("-seq")
        list(qs[args.events - deep_seq : args.events - deep_seq + 50])

    scenarios = [
        ("first page, no filter", page({})),
        ("type filter (1% of events) + who performed", page({"type": "role.created"})),
        ("type filter (40% of events) + who performed", page({"type": "member.updated"})),
        ("actor filter", page({"actor": actor.pk})),
        ("target filter", page({"target": actor.pk})),
        (
            "type + one month",
            page({"type": "member.role_changed", "since": "2025-06-01", "until": "2025-06-30"}),
        ),
        ("deep page (keyset, older_than)", page({"older_than": deep_seq})),
        ("deep page rows by OFFSET (query only)", naive_deep),
    ]
    print(f"{'scenario':48} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in scenarios:
        p50, p95 = benchkit.timed(fn, args.runs)
        print(f"{name:48} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
