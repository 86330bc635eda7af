"""Checking every row of an invitation CSV against the account (INV-7, INV-2, INV-6, ROLE-3).

Each row ends "ready" (would be invited), "skip" (already a member or invited: not an error,
as in INV-2) or "error" with every problem as (row, column, reason). The account's roles,
teams, divisions and members are read once for the whole file, not once per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.bulk.csv_parse import ParsedCsv
from crewbase.core.actor import Actor
from crewbase.org.models import Division, Team
from crewbase.people.actions import limits
from crewbase.people.emails import domain_problem, email_problem
from crewbase.people.models import Member, MemberStatus, normalize_email

READY, SKIP, ERROR = "ready", "skip", "error"
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off", ""}
_LIST_SEPARATORS = re.compile(r"[,;|]")
LENGTHS = {"first name": 150, "last name": 150, "phone": 40}
LOOKUP_CHUNK = 900  # below SQLite's smallest variable limit


@dataclass
class ReviewedRow:
    row: int
    email: str
    first_name: str = ""
    last_name: str = ""
    role_id: int | None = None
    role_name: str = ""
    team_ids: list[int] = field(default_factory=list)
    division_ids: list[int] = field(default_factory=list)
    agent_access: bool = False
    phone: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    note: str = ""  # why a row is skipped

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        return SKIP if self.note else READY


@dataclass
class Review:
    rows: list[ReviewedRow]
    # Whole-file problems found against the account (user limit, agent seats).
    limits: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.row, column, reason) for r in self.rows for column, reason in r.errors]


def _by_name(queryset) -> dict[str, object]:
    return {obj.name.strip().lower(): obj for obj in queryset}


def _names(cell: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(cell) if part.strip()]


class _Account:
    """What every row is checked against, read once."""

    def __init__(self, actor: Actor, emails: list[str]):
        account = actor.account
        self.account = account
        self.roles = _by_name(Role.objects.for_account(account))
        self.teams = _by_name(Team.objects.filter(account=account))
        self.divisions = _by_name(Division.objects.filter(account=account))
        self.members: dict[str, Member] = {}
        for start in range(0, len(emails), LOOKUP_CHUNK):
            chunk = emails[start : start + LOOKUP_CHUNK]
            for member in Member.objects.filter(account=account, email__in=chunk):
                self.members[member.email] = member
        self.grant_problem = {
            role.pk: policy.missing_for_grant(actor, role.permissions)
            for role in self.roles.values()
        }


def review_rows(actor: Actor, parsed: ParsedCsv) -> Review:
    emails = sorted({normalize_email(row.values.get("email", "")) for row in parsed.rows})
    known = _Account(actor, [e for e in emails if e])
    seen: dict[str, int] = {}
    reviewed = []
    by_row = {}
    for row in parsed.rows:
        checked = _review_row(row.number, row.values, known, seen)
        reviewed.append(checked)
        by_row[row.number] = checked
    for number, column, reason in parsed.problems:
        if number in by_row:
            by_row[number].errors.append((column, reason))
    review = Review(reviewed)
    review.limits = limit_problems(actor.account, [r for r in reviewed if r.status == READY])
    return review


def limit_problems(account, ready: list[ReviewedRow]) -> list[str]:
    problems = []
    slots = limits.user_slots_left(account)
    if slots is not None and len(ready) > slots:
        problems.append(
            _("the plan's user limit allows %(slots)s more users; %(rows)s rows would be invited")
            % {"slots": slots, "rows": len(ready)}
        )
    agents = sum(1 for row in ready if row.agent_access)
    seats = limits.agent_seats_left(account)
    if agents > seats:
        left = (
            limits.no_seat_message(account)
            if not seats
            else _("only %(seats)s agent seats left") % {"seats": seats}
        )
        problems.append(
            _("%(reason)s; %(rows)s rows ask for agent access") % {"reason": left, "rows": agents}
        )
    return problems


def _review_row(number: int, values: dict, known: _Account, seen: dict) -> ReviewedRow:
    email = normalize_email(values.get("email", ""))
    checked = ReviewedRow(row=number, email=email)
    errors = checked.errors
    if not email:
        errors.append(("email", _("is required")))
    else:
        # An address problem ("is not a valid email address") reads after the address; a
        # domain problem is a whole phrase of its own.
        address_problem = email_problem(email)
        problem = (
            _("%(email)s %(problem)s") % {"email": email, "problem": address_problem}
            if address_problem
            else domain_problem(email, known.account)
        )
        if problem:
            errors.append(("email", problem))
        elif email in seen:
            errors.append(
                (
                    "email",
                    _("%(email)s is already on row %(row)s of this file")
                    % {"email": email, "row": seen[email]},
                )
            )
        else:
            seen[email] = number
    _check_role(values.get("role", ""), known, checked)
    checked.team_ids = _resolve_names(values.get("teams", ""), known.teams, "teams", errors)
    checked.division_ids = _resolve_names(
        values.get("divisions", ""), known.divisions, "divisions", errors
    )
    agent = values.get("agent access", "").strip().lower()
    if agent in YES:
        checked.agent_access = True
    elif agent not in NO:
        errors.append(
            (
                "agent access",
                _("'%(value)s' must be yes or no") % {"value": values["agent access"][:40]},
            )
        )
    for column, max_length in LENGTHS.items():
        value = values.get(column, "")
        if len(value) > max_length:
            errors.append(
                (column, _("must be at most %(limit)s characters") % {"limit": max_length})
            )
    checked.first_name = values.get("first name", "")[:150]
    checked.last_name = values.get("last name", "")[:150]
    checked.phone = values.get("phone", "")[:40]
    member = known.members.get(email)
    if member is not None and member.status == MemberStatus.ACTIVE:
        checked.note = _("already an active member")
    elif member is not None and member.status == MemberStatus.INVITED:
        checked.note = _("already invited; resend the invitation from the members list")
    return checked


def _check_role(cell: str, known: _Account, checked: ReviewedRow) -> None:
    name = cell.strip()
    if not name:
        checked.errors.append(("role", _("is required")))
        return
    role = known.roles.get(name.lower())
    if role is None:
        available = ", ".join(sorted(r.name for r in known.roles.values()))
        checked.errors.append(
            (
                "role",
                _("no role named '%(name)s' (roles: %(available)s)")
                % {"name": name[:60], "available": available},
            )
        )
        return
    missing = known.grant_problem[role.pk]
    if missing:
        checked.errors.append(
            (
                "role",
                _("you cannot grant '%(name)s': it includes %(keys)s")
                % {"name": role.name, "keys": ", ".join(missing)},
            )
        )
        return
    checked.role_id, checked.role_name = role.pk, role.name


_UNKNOWN_NAME = {
    "teams": gettext_lazy("no team named '%(name)s' in this account"),
    "divisions": gettext_lazy("no division named '%(name)s' in this account"),
}


def _resolve_names(cell: str, known: dict, column: str, errors: list) -> list[int]:
    ids = []
    for name in _names(cell):
        group = known.get(name.lower())
        if group is None:
            errors.append((column, _UNKNOWN_NAME[column] % {"name": name[:60]}))
        elif group.pk not in ids:
            ids.append(group.pk)
    return ids
