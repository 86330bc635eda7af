"""The console's members list (/members/) and a profile page on a large account, timed.

    .venv/bin/python bench/members_page.py --members 50000        # SQLite under --data-dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_f_bench .venv/bin/python \\
        bench/members_page.py

Builds one account with --members members (bulk insert, a fifth on teams), then requests pages
through Django's test client as the owner — middleware, view, selector and template — --runs
times per scenario. Prints p50/p95 in ms. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchkit

FIRST = ["Maya", "Omar", "Priya", "Tom", "Lena", "Ana", "Kofi", "Yuki", "Sven", "Ines"]
LAST = ["Lindqvist", "Haddad", "Raman", "Becker", "Vogel", "Silva", "Mensah", "Sato", "Berg"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench-members-page")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def build(args):
    from django.db import transaction
    from tests.conftest import builtin_role, make_account

    from crewbase.org.models import Team
    from crewbase.people.models import Member, MemberStatus, Person

    rng = random.Random(args.seed)
    account, owner = make_account(name="Members bench")
    teams = [Team.objects.create(account=account, name=f"Team {n}") for n in range(10)]
    roles = [builtin_role("agent"), builtin_role("supervisor"), builtin_role("editor")]
    statuses = [MemberStatus.ACTIVE] * 8 + [MemberStatus.INVITED, MemberStatus.DEACTIVATED]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    Membership = Team.members.through
    for offset in range(0, args.members, 5000):
        size = min(5000, args.members - offset)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    email=f"m{offset + n}@bench.example",
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    is_registered=True,
                    password="!",
                )
                for n in range(size)
            )
            members = []
            for person in people:
                status = rng.choice(statuses)
                member = Member(
                    account=account,
                    person=person,
                    email=person.email,
                    role=rng.choice(roles),
                    status=status,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    agent_access=rng.random() < 0.3,
                    joined_at=start + timedelta(minutes=rng.randrange(500_000)),
                    last_sign_in_at=start + timedelta(minutes=rng.randrange(500_000))
                    if status == MemberStatus.ACTIVE
                    else None,
                )
                member.refresh_display_name()
                members.append(member)
            members = Member.objects.bulk_create(members)
            Membership.objects.bulk_create(
                Membership(team_id=rng.choice(teams).pk, member_id=m.pk)
                for m in members
                if rng.random() < 0.2
            )
    return account, owner, teams


def main() -> None:
    args = parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    benchkit.setup_django(args.data_dir)
    from django.db import connection
    from django.test import Client

    from crewbase.people.models import Member

    benchkit.fresh_database()
    began = time.perf_counter()
    account, owner, teams = build(args)
    print(
        f"{connection.vendor}, Python {platform.python_version()}: {args.members:,} members "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    client = Client()
    client.force_login(owner.person)

    def get(url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    # A cursor twenty pages in, found by walking the pages once.
    deep_url = "/members/"
    for _ in range(20):
        text = client.get(deep_url).content.decode()
        deep_url = re.search(r'href="([^"]+)" rel="next"', text).group(1).replace("&amp;", "&")
    someone = Member.objects.filter(account=account).order_by("id")[args.members // 2]
    scenarios = [
        ("first page, table", get("/members/")),
        ("status filter: deactivated", get("/members/", {"status": "deactivated"})),
        ("team filter", get("/members/", {"team": teams[3].pk})),
        ("search 'lindq'", get("/members/", {"q": "lindq"})),
        ("search rare 'm4242@'", get("/members/", {"q": "m4242@"})),
        ("sort by last sign-in, descending", get("/members/", {"sort": "-last_sign_in"})),
        ("page 21 (keyset cursor)", get(deep_url)),
        ("member profile", get(f"/members/{someone.pk}/")),
        ("invite page", get("/members/invite/")),
    ]
    print(f"{'scenario':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in scenarios:
        p50, p95 = benchkit.timed(fn, args.runs)
        print(f"{name:40} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
