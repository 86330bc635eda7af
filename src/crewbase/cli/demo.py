"""The demo account "Acme Support": a believable scene to click through after `make run`.

Idempotent: every piece is looked up before it is made, so running it again adds nothing.
People are seeded directly with a known password (the demo has no inboxes to accept
invitations from), while the things worth seeing in the activity log and the mailbox go
through the real actions: the account's creation, a custom role, a seat change and three
invitations whose emails the worker delivers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from crewbase.access.actions import create_role
from crewbase.access.models import Role
from crewbase.accounts.actions import create_account
from crewbase.accounts.models import Account
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.org.models import Division, Macro, Queue, SavedView, Team, Ticket, TicketStatus
from crewbase.people.actions.changes import set_agent_access
from crewbase.people.actions.invitations import invite_people
from crewbase.people.models import Member, MemberStatus, Person

ACCOUNT_NAME = "Acme Support"
OWNER_EMAIL = "owner@acme.test"
DEMO_PASSWORD = "crewbase-demo-2026"

# email, first name, last name, built-in role, agent access, days since joining
PEOPLE = [
    ("amara@acme.test", "Amara", "Okafor", "admin", False, 300),
    ("ben@acme.test", "Ben", "Carter", "admin", False, 240),
    ("sofia@acme.test", "Sofia", "Rossi", "supervisor", False, 200),
    ("eli@acme.test", "Eli", "Novak", "editor", False, 150),
    ("rita@acme.test", "Rita", "Patel", "read_only", False, 90),
    ("alex@acme.test", "Alex", "Kim", "agent", True, 180),
    ("bianca@acme.test", "Bianca", "Silva", "agent", True, 120),
    ("chen@acme.test", "Chen", "Wei", "agent", True, 60),
    ("dara@acme.test", "Dara", "Murphy", "agent", True, 30),
    # An agent by role who has no seat yet: the 5th seat is left free to try things with.
    ("emil@acme.test", "Emil", "Larsen", "agent", False, 7),
]
TEAMS = {
    "Billing": ("Invoices, refunds and plan changes", ["alex", "bianca", "sofia"]),
    "Technical": ("Bugs, integrations and outages", ["chen", "dara", "emil"]),
    "VIP": ("Enterprise customers", ["alex", "chen", "sofia"]),
}
DIVISIONS = {
    "EMEA": ["amara", "sofia", "alex", "bianca"],
    "APAC": ["ben", "chen", "dara", "emil"],
}
QUEUES = {
    "General": ["alex", "bianca", "chen", "dara"],
    "Escalations": ["alex", "chen"],
}
# subject, status, assignee (None = unassigned), queue, team, division
TICKETS = [
    ("Refund for duplicate charge", TicketStatus.OPEN, "alex", "General", "Billing", "EMEA"),
    (
        "Invoice shows the wrong VAT number",
        TicketStatus.PENDING,
        "bianca",
        "General",
        "Billing",
        "EMEA",
    ),
    (
        "Cannot upgrade to the annual plan",
        TicketStatus.OPEN,
        "bianca",
        "General",
        "Billing",
        "EMEA",
    ),
    (
        "API returns 502 on bulk import",
        TicketStatus.OPEN,
        "chen",
        "Escalations",
        "Technical",
        "APAC",
    ),
    (
        "SSO login loops back to the sign-in page",
        TicketStatus.OPEN,
        "chen",
        "Escalations",
        "VIP",
        "APAC",
    ),
    ("Webhook deliveries delayed", TicketStatus.PENDING, "dara", "General", "Technical", "APAC"),
    (
        "Export to CSV misses the last column",
        TicketStatus.SOLVED,
        "dara",
        "General",
        "Technical",
        "APAC",
    ),
    ("Contract renewal questions", TicketStatus.OPEN, "alex", "Escalations", "VIP", "EMEA"),
    ("Password reset email not arriving", TicketStatus.OPEN, None, "General", None, None),
    ("Feature request: dark mode for reports", TicketStatus.OPEN, None, "General", None, None),
    ("Mobile app crashes on start", TicketStatus.CLOSED, "chen", "General", "Technical", "APAC"),
]
# title, owner, body
MACROS = [
    (
        "Refund approved",
        "eli",
        "Hi {{name}}, your refund has been approved and will arrive in 3 to 5 business days.",
    ),
    ("Ask for a screenshot", "eli", "Could you send us a screenshot of what you see?"),
    ("Escalate to Tier 2", "sofia", "I've passed this to our Tier 2 team; they will reply today."),
]
# name, owner, filters
SAVED_VIEWS = [
    ("My open tickets", "alex", {"assignee": "me", "status": "open"}),
    ("Unassigned", "sofia", {"assignee": None, "status": "open"}),
    ("VIP escalations", "sofia", {"team": "VIP", "queue": "Escalations"}),
]
CUSTOM_ROLE = (
    "Team Lead",
    "An agent who also sees every ticket and the team's figures",
    ["users.view", "tickets.view_all", "analytics.view"],
)
# Sent through invite_people, so their emails go through the outbox to the (dev) mailbox.
INVITATIONS = [
    (["nina@acme.test", "omar@acme.test"], "agent", ["Billing"]),
    (["priya@acme.test"], "read_only", []),
]


@dataclass
class DemoResult:
    account: Account
    created: bool
    made: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.made[what] = self.made.get(what, 0) + n


def _builtin(key: str) -> Role:
    return Role.objects.get(account__isnull=True, builtin_key=key)


def _find_account() -> Account | None:
    owner = (
        Member.objects.select_related("account")
        .filter(email=OWNER_EMAIL, is_owner=True, account__name=ACCOUNT_NAME)
        .order_by("account_id")
        .first()
    )
    return owner.account if owner else None


def _registered_person(email: str, first: str, last: str) -> Person:
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person.objects.create_user(email=email, first_name=first, last_name=last)
    if not person.is_registered:
        person.first_name, person.last_name = person.first_name or first, person.last_name or last
        person.set_password(DEMO_PASSWORD)
        person.is_registered = True
        person.save()
    return person


def _seed_member(account, result, email, first, last, role_key, agent_access, days) -> Member:
    member = Member.objects.filter(account=account, email=email).first()
    if member is not None:
        return member
    now = clock.now()
    member = Member(
        account=account,
        person=_registered_person(email, first, last),
        role=_builtin(role_key),
        status=MemberStatus.ACTIVE,
        email=email,
        first_name=first,
        last_name=last,
        agent_access=agent_access,
        invited_at=now - timedelta(days=days + 1),
        joined_at=now - timedelta(days=days),
        last_sign_in_at=now - timedelta(hours=days % 48 + 1),
    )
    member.refresh_display_name()
    member.save()
    record(
        Actor.system(account, reason="demo data"),
        "member.joined",
        member,
        after={"role": member.role.name, "agent_access": agent_access},
    )
    result.count("members")
    return member


def _named(model, account, name: str, result: DemoResult, what: str, **defaults):
    obj, made = model.objects.get_or_create(account=account, name=name, defaults=defaults)
    if made:
        result.count(what)
    return obj, made


def _seed_organisation(account, members: dict[str, Member], result: DemoResult) -> None:
    def pick(names):
        return [members[name] for name in names]

    for name, (description, who) in TEAMS.items():
        team, made = _named(Team, account, name, result, "teams", description=description)
        if made:
            team.members.add(*pick(who))
    for name, who in DIVISIONS.items():
        division, made = _named(Division, account, name, result, "divisions")
        if made:
            division.members.add(*pick(who))
    for name, who in QUEUES.items():
        queue, made = _named(Queue, account, name, result, "queues")
        if made:
            queue.members.add(*pick(who))
    for subject, status, assignee, queue, team, division in TICKETS:
        _ticket, made = Ticket.objects.get_or_create(
            account=account,
            subject=subject,
            defaults={
                "status": status,
                "assignee": members.get(assignee),
                "created_by": members["sofia"],
                "queue": Queue.objects.filter(account=account, name=queue).first(),
                "team": Team.objects.filter(account=account, name=team).first(),
                "division": Division.objects.filter(account=account, name=division).first(),
            },
        )
        if made:
            result.count("tickets")
    for title, owner, body in MACROS:
        _macro, made = Macro.objects.get_or_create(
            account=account, title=title, defaults={"owner": members[owner], "body": body}
        )
        if made:
            result.count("macros")
    for name, owner, filters in SAVED_VIEWS:
        _named(
            SavedView, account, name, result, "saved views", owner=members[owner], filters=filters
        )


def _owner_actor(owner: Member) -> Actor:
    owner = Member.objects.select_related("role", "account", "person").get(pk=owner.pk)
    return Actor.for_member(owner, user_agent="crewbase-demo")


def _seed_through_actions(account, owner: Member, result: DemoResult) -> None:
    actor = _owner_actor(owner)
    name, description, permissions = CUSTOM_ROLE
    if not Role.objects.filter(account=account, name__iexact=name).exists():
        create_role(actor=actor, name=name, permissions=permissions, description=description)
        result.count("custom roles")
    for emails, role_key, team_names in INVITATIONS:
        teams = Team.objects.filter(account=account, name__in=team_names)
        outcome = invite_people(
            actor=actor,
            emails=emails,
            role_id=_builtin(role_key).pk,
            team_ids=[team.pk for team in teams],
        )
        if outcome.invited:
            result.count("invitations", len(outcome.invited))


@transaction.atomic
def load_demo() -> DemoResult:
    """Create (or complete) the demo account; one transaction, so never half-made."""
    account = _find_account()
    result = DemoResult(account=account, created=account is None)
    if account is None:
        new = create_account(
            name=ACCOUNT_NAME,
            owner_email=OWNER_EMAIL,
            owner_first_name="Olivia",
            owner_last_name="Owens",
            plan="team",
            user_limit=50,
            paid_agent_seats=4,
        )
        account = result.account = new.account
        _registered_person(OWNER_EMAIL, "Olivia", "Owens")
        new.owner.joined_at = clock.now() - timedelta(days=365)
        new.owner.save(update_fields=["joined_at"])
        # The owner runs the account rather than working tickets: the seat goes to the agents.
        set_agent_access(actor=_owner_actor(new.owner), member=new.owner, enabled=False)
    owner = Member.objects.get(account=account, is_owner=True)
    members = {"owner": owner}
    for email, first, last, role_key, agent_access, days in PEOPLE:
        members[email.split("@")[0]] = _seed_member(
            account, result, email, first, last, role_key, agent_access, days
        )
    _seed_organisation(account, members, result)
    _seed_through_actions(account, owner, result)
    return result
