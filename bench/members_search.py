"""Members list and search at 1,000,000 members: list_members against a naive OFFSET query.

    .venv/bin/python bench/members_search.py                       # SQLite under --data-dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_e_bench .venv/bin/python \\
        bench/members_search.py
    ... --reuse                                                    # keep the rows of a last run

Builds one account with --members members (persons too) by bulk insert, then times each
scenario --runs times through `crewbase.people.selectors.list_members` (page + capped count,
as the console calls it) and through the naive query the same page would take without this
work: `icontains` on both columns, ORDER BY, and OFFSET. Prints p50/p95 in ms and the ratio.
Never part of the test suite; the targets live in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import benchkit

PAGE = 50
DEEP_PAGES = 100
ACCOUNT_NAME = "Crewbase bench"


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth
William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel
Nancy Matthew
Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua
Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald
Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy
Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole
Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel
Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth
Jose Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren
Kyle Christina Ethan Joan Walter Evelyn Noah Judith Jeremy Megan Christian Andrea Keith Cheryl
Roger Hannah Terry Jacqueline Gerald Martha Harold Gloria Sean Teresa Austin Ann Carl Sara
Arthur Madison Lawrence Frances Dylan Kathryn Jesse Janice Jordan Jean Bryan Abigail Billy Alice
Joe Julia Bruce Judy Gabriel Sophia Logan Grace Albert Denise Willie Amber Alan Doris Juan
Marilyn Wayne Danielle Elijah Beverly Randy Isabella Roy Theresa Vincent Diana Ralph Natalie
Eugene Brittany Russell Charlotte Bobby Marie Mason Kayla Philip Alexis Louis Lori Hiroshi Yuki
Aiko Kenji Mei Wei Priya Arjun Ananya Rahul Fatima Omar Amara Kwame Chidi Ngozi Lukas Sofia
Mateo Camila Lars Ingrid Søren Zoë José Renée Łukasz Agnieszka Björn Élodie""")

LAST_NAMES = _words("""Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White
Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen
Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders
Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler
Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton
Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina
Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington
Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter
Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black
Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson
Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kowalski Kowalczyk Nowak Wiśniewski
Nakamura Tanaka Suzuki Watanabe Yamamoto Sato Kobayashi Wang Li Zhang Liu Singh Kumar Sharma
Okafor Mensah Adeyemi Nilsson Johansson Larsen Jensen Müller Schneider Dubois Lefèvre Rossi
Bianchi Costa Santos Oliveira Pereira Novak Horvat Popescu Ivanova""")

# A handful of surnames so rare that searching them is the "rare term" case (≈10 rows each).
RARE_LAST_NAMES = ["Vandersloot", "Quarshie", "Zwierzchowski", "Oyelaran", "Thorvaldsdottir"]
RARE_SHARE = 1e-5

DOMAINS = ["example.com"] * 12 + [
    "acme-support.io",
    "northwind.co",
    "globex.com",
    "initech.net",
    "contoso.org",
    "umbrella.help",
    "hooli.xyz",
    "stark.industries",
]
ASCII = str.maketrans(
    {"ø": "o", "ë": "e", "é": "e", "è": "e", "ł": "l", "ö": "o", "ü": "u", "ś": "s", "É": "e"}
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per scenario")
    parser.add_argument("--data-dir", default="/tmp/crewbase-bench", help="SQLite lives here")
    parser.add_argument("--reuse", action="store_true", help="keep rows built by a last run")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# --- building ----------------------------------------------------------------------------


def existing_bench_account(wanted: int):
    from crewbase.accounts.models import Account

    account = Account.objects.filter(name=ACCOUNT_NAME).order_by("-pk").first()
    if account is None:
        return None
    present = account.members.count()
    return account if present >= wanted else None


@dataclass(slots=True)
class Plan:
    """Everything random about one member, drawn before any SQL runs."""

    first: str
    last: str
    email: str
    status: str
    role_id: int
    agent_access: bool
    invited_at: datetime | None
    joined_at: datetime | None
    deactivated_at: datetime | None
    last_sign_in_at: datetime | None
    invitation_expires_at: datetime | None


def draw_members(count: int, roles: list[tuple[int, float]], now: datetime, rng) -> list[Plan]:
    role_ids = [r for r, _ in roles]
    role_weights = [w for _, w in roles]
    plans = []
    five_years = 5 * 365 * 24 * 3600
    for n in range(count):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(RARE_LAST_NAMES) if rng.random() < RARE_SHARE * 5 else None
        last = last or rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().translate(ASCII)
        email = f"{local}.{n}@{rng.choice(DOMAINS)}"
        roll = rng.random()
        status = "active" if roll < 0.80 else "invited" if roll < 0.86 else "deactivated"
        joined = invited = deactivated = signed_in = expires = None
        if status == "invited":
            invited = now - timedelta(days=rng.uniform(0, 14))
            expires = invited + timedelta(days=7)  # about half have lapsed
        else:
            joined = now - timedelta(seconds=rng.uniform(0, five_years))
            invited = joined - timedelta(hours=rng.uniform(1, 72))
            if status == "deactivated":
                deactivated = joined + (now - joined) * rng.random()
            elif rng.random() < 0.9:
                signed_in = joined + (now - joined) * rng.random()
        plans.append(
            Plan(
                first,
                last,
                email,
                status,
                rng.choices(role_ids, role_weights)[0],
                status != "deactivated" and rng.random() < 0.65,
                invited,
                joined,
                deactivated,
                signed_in,
                expires,
            )
        )
    return plans


def column_defaults(model, connection) -> dict[str, object]:
    """Database values for every column we do not set, so new model fields cannot break us."""
    return {
        field.column: field.get_db_prep_save(field.get_default(), connection)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


class BulkWriter:
    """executemany on SQLite, COPY on PostgreSQL; values already in database form."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor

    def when(self, value: datetime | None):
        if value is None or self.vendor != "sqlite":
            return value
        return self.connection.ops.adapt_datetimefield_value(value)

    def write(self, table: str, columns: list[str], rows) -> None:
        raw = self.connection.connection
        if self.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def build(count: int, seed: int):
    """One account with `count` members (the owner included); returns it."""
    from django.db import connection, transaction

    from crewbase.access.actions import create_role
    from crewbase.access.models import Role
    from crewbase.accounts.actions import create_account
    from crewbase.core.actor import Actor
    from crewbase.people import search_index
    from crewbase.people.models import Member, Person

    rng = random.Random(seed)
    now = datetime.now(UTC)
    new = create_account(name=ACCOUNT_NAME, owner_email="owner@bench.example", plan="enterprise")
    owner_actor = Actor.for_member(new.owner)
    builtin = {r.builtin_key: r.pk for r in Role.objects.filter(account__isnull=True)}
    custom = [
        create_role(actor=owner_actor, name=name, permissions=["users.view"]).pk
        for name in ("Night shift", "Escalations", "Trainee")
    ]
    roles = [
        (builtin["agent"], 0.70),
        (builtin["supervisor"], 0.10),
        (builtin["editor"], 0.08),
        (builtin["read_only"], 0.07),
        (builtin["admin"], 0.02),
        *((pk, 0.01) for pk in custom),
    ]

    started = time.perf_counter()
    plans = draw_members(count - 1, roles, now, rng)
    print(f"  drew {len(plans):,} members in {time.perf_counter() - started:.1f} s", flush=True)

    writer = BulkWriter(connection)
    person_defaults = column_defaults(Person, connection)
    member_defaults = column_defaults(Member, connection)
    stamp = writer.when(now)
    batch = 100_000
    with transaction.atomic():
        # The search index is rebuilt once at the end, far faster than row by row.
        search_index.uninstall(connection)
        first_person_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first()) + 1
        person_values = person_defaults | {"password": "!", "created_at": stamp}
        person_columns = ["id", "email", "first_name", "last_name", "is_registered"]
        person_columns += [c for c in person_values if c not in person_columns]
        member_values = member_defaults | {"created_at": stamp, "updated_at": stamp}
        member_columns = [
            "account_id",
            "person_id",
            "role_id",
            "status",
            "agent_access",
            "first_name",
            "last_name",
            "email",
            "display_name",
            "invited_at",
            "joined_at",
            "deactivated_at",
            "last_sign_in_at",
            "invitation_expires_at",
        ]
        member_columns += [c for c in member_values if c not in member_columns]
        person_rest = [person_values[c] for c in person_columns[5:]]
        member_rest = [member_values[c] for c in member_columns[14:]]
        for start in range(0, len(plans), batch):
            chunk = plans[start : start + batch]
            ids = range(first_person_id + start, first_person_id + start + len(chunk))
            writer.write(
                "people_person",
                person_columns,
                (
                    [pid, p.email, p.first, p.last, p.status != "invited", *person_rest]
                    for pid, p in zip(ids, chunk, strict=True)
                ),
            )
            writer.write(
                "people_member",
                member_columns,
                (
                    [
                        new.account.pk,
                        pid,
                        p.role_id,
                        p.status,
                        p.agent_access,
                        p.first,
                        p.last,
                        p.email,
                        f"{p.first} {p.last}",
                        writer.when(p.invited_at),
                        writer.when(p.joined_at),
                        writer.when(p.deactivated_at),
                        writer.when(p.last_sign_in_at),
                        writer.when(p.invitation_expires_at),
                        *member_rest,
                    ]
                    for pid, p in zip(ids, chunk, strict=True)
                ),
            )
            done = start + len(chunk)
            print(f"  inserted {done:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
                    "(SELECT max(id) FROM people_person))"
                )
                # Check the deferred foreign keys now: PostgreSQL builds no index on a table
                # with checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        index_started = time.perf_counter()
        search_index.install(connection)
        search_index.refresh_planner_statistics(connection, force=True)
        print(f"  search index built in {time.perf_counter() - index_started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE people_member")
            cursor.execute("VACUUM ANALYZE people_person")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  built {count:,} members in {time.perf_counter() - started:.0f} s", flush=True)
    return new.account


# --- timing ------------------------------------------------------------------------------


def timed(function, runs: int) -> tuple[float, float, object]:
    function()  # warm caches and connection; not counted
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


@dataclass
class Scenario:
    name: str
    params: dict
    deep: bool = False


def scenarios(account) -> list[Scenario]:
    from crewbase.access.models import Role

    supervisor = Role.objects.get(account__isnull=True, builtin_key="supervisor").pk
    return [
        Scenario("name substring 'akamu'", {"q": "akamu"}),
        Scenario("email substring 'initech.n'", {"q": "initech.n"}),
        Scenario("rare term 'vandersloot'", {"q": "vandersloot"}),
        Scenario("common term 'son'", {"q": "son"}),
        Scenario("common term 'example.com'", {"q": "example.com"}),
        Scenario("1-char term 'a'", {"q": "a"}),
        Scenario("2-char term 'zq' (no match)", {"q": "zq"}),
        Scenario("role + status filter", {"role": str(supervisor), "status": "deactivated"}),
        Scenario("status expired", {"status": "expired"}),
        Scenario("page 1, by name", {}),
        Scenario(f"page {DEEP_PAGES + 1}, by name", {}, deep=True),
        Scenario(f"page {DEEP_PAGES + 1}, by -joined", {"sort": "-joined"}, deep=True),
        Scenario(f"page {DEEP_PAGES + 1}, 'example.com'", {"q": "example.com"}, deep=True),
    ]


def naive_page(account, params: dict, offset: int):
    """The same page the obvious way: icontains on both columns, ORDER BY, OFFSET."""
    from django.db.models import F, Q

    from crewbase.core import clock
    from crewbase.people.models import Member

    members = Member.objects.filter(account=account).select_related("role")
    if params.get("q"):
        q = params["q"]
        members = members.filter(Q(display_name__icontains=q) | Q(email__icontains=q))
    if params.get("role"):
        members = members.filter(role_id=params["role"])
    if params.get("status") == "expired":
        members = members.filter(status="invited", invitation_expires_at__lte=clock.now())
    elif params.get("status"):
        members = members.filter(status=params["status"])
    ordering = {
        "name": ["display_name", "id"],
        "-joined": [F("joined_at").desc(nulls_last=True), "-id"],
    }[params.get("sort", "name")]
    return list(members.order_by(*ordering)[offset:][:PAGE])


def cursor_after_pages(actor, params: dict, pages: int) -> str | None:
    from crewbase.people.selectors import list_members

    cursor = None
    for _ in range(pages):
        cursor = list_members(actor, cursor=cursor, **params).next_cursor
        if cursor is None:
            break
    return cursor


def run(account, runs: int) -> list[tuple]:
    from django.db import connection

    from crewbase.core.actor import Actor
    from crewbase.people.models import Member
    from crewbase.people.selectors import list_members

    owner = Member.objects.select_related("role", "account").get(account=account, is_owner=True)
    actor = Actor.for_member(owner)
    rows = []
    for scenario in scenarios(account):
        cursor = cursor_after_pages(actor, scenario.params, DEEP_PAGES) if scenario.deep else None
        offset = DEEP_PAGES * PAGE if scenario.deep else 0
        ours_p50, ours_p95, page = timed(
            lambda s=scenario, c=cursor: list_members(actor, cursor=c, **s.params), runs
        )
        naive_runs = max(3, runs // 3)  # the slow side; fewer runs keep the bench short
        naive_p50, naive_p95, naive = timed(
            lambda s=scenario, o=offset: naive_page(account, s.params, o), naive_runs
        )
        if [m.pk for m in page.items] != [m.pk for m in naive]:
            print(f"  !! {scenario.name}: pages differ from the naive query", flush=True)
        total = f"{page.total:,}{'+' if page.total_is_estimate else ''}"
        rows.append(
            (scenario.name, total, ours_p50, ours_p95, naive_p50, naive_p95, naive_p50 / ours_p50)
        )
        print(
            f"  {scenario.name:<32} {total:>8} ours p50 {ours_p50:7.2f} p95 {ours_p95:7.2f}"
            f" | naive p50 {naive_p50:8.2f} p95 {naive_p95:8.2f} | x{naive_p50 / ours_p50:,.0f}",
            flush=True,
        )
    connection.close()
    return rows


def print_table(rows, vendor: str, members: int, runs: int) -> None:
    print()
    print(f"members list at {members:,} members, {vendor}, {runs} runs (naive: fewer), ms")
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    header = ("scenario", "total", "p50", "p95", "naive p50", "naive p95", "naive/ours")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, total, p50, p95, n50, n95, ratio in rows:
        figures = f"{p50:.1f} | {p95:.1f} | {n50:.1f} | {n95:.1f} | {ratio:,.0f}x"
        print(f"| {name} | {total} | {figures} |")


def main() -> None:
    args = parse_args()
    benchkit.setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    account = existing_bench_account(args.members) if args.reuse else None
    if account is None:
        print(f"building {args.members:,} members on {vendor}", flush=True)
        benchkit.fresh_database()
        account = build(args.members, args.seed)
    else:
        call_command("migrate", verbosity=0)
        print(f"reusing {account.members.count():,} members on {vendor}", flush=True)
    rows = run(account, args.runs)
    print_table(rows, vendor, args.members, args.runs)


if __name__ == "__main__":
    main()
