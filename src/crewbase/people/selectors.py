"""Reading members: always inside the actor's account, always behind `users.view` (LIST-1).

`list_members` takes its parameters as they arrive from a URL (strings) and refuses bad ones
with ValidationFailed naming the parameter. Pages are keyset-paginated (people/keyset.py).

Two plans read a page:
- along the index of the sort order, stopping after `limit + 1` matching rows (lists, filters,
  SQLite searches for common or short terms; for searches PostgreSQL's planner may instead
  gather a rare term's rows from the trigram indexes and sort them);
- by primary key from a short list of candidates, sorted in memory (SQLite searches for terms
  the FTS index finds at most member_search.RARE_MATCHES times).

Counts never walk a million rows: the total is exact up to a cap, else the cap with
`total_is_estimate` ("10,000+"). The cap is 10,000 for lists and filters (counted from an
index alone) and 500 for searches, where each counted row is tested against the term and a
term matching one row in twenty costs 10,000 tests (about 10 ms on PostgreSQL). A first page
that is not full is its own exact count. A common term on SQLite is counted among the first
SEARCH_COUNT_CAP + 1 matches of the FTS index, which gives a lower bound, reported as such.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, ValidationFailed
from crewbase.org.models import Division, Queue, Team
from crewbase.people import list_extensions, member_search, search_index
from crewbase.people.keyset import SORT_ORDERS, Cursor, SortOrder, decode_cursor
from crewbase.people.models import Member, MemberStatus, normalize_email

STATUSES = ("active", "invited", "expired", "deactivated")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_TERM_LENGTH = 300  # longer than any name or email could contain
COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 500
_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and always within a bigint


@dataclass
class MemberPage:
    items: list[Member]
    next_cursor: str | None
    total: int | None
    # True when `total` is a lower bound: show it as "10,000+".
    total_is_estimate: bool


def members_visible_to(actor: Actor) -> QuerySet[Member]:
    policy.require(actor, "users.view")
    return Member.objects.filter(account=actor.account).select_related("role")


def get_member(actor: Actor, member_id) -> Member:
    members = members_visible_to(actor)
    member_id = parse_id(member_id)
    member = members.filter(pk=member_id).first() if member_id is not None else None
    if member is None:
        raise NotFound(_("No such member in this account."))
    return member


def list_members(
    actor: Actor,
    *,
    q=None,
    role=None,
    status=None,
    team=None,
    agent_access=None,
    division=None,
    queue=None,
    sort="name",
    cursor=None,
    limit=DEFAULT_LIMIT,
    **extra_filters,
) -> MemberPage:
    """`extra_filters` are the filters other areas register in people/list_extensions."""
    members = members_visible_to(actor)
    errors: dict[str, str] = {}
    term = _parse_term(q, errors)
    order = _parse_sort(sort, errors)
    size = _parse_limit(limit, errors)
    after = _parse_cursor(cursor, order, errors)
    conditions = filter_conditions(
        actor,
        errors,
        role=role,
        status=status,
        team=team,
        agent_access=agent_access,
        division=division,
        queue=queue,
    )
    given = {name for name, value in extra_filters.items() if value not in (None, "")}
    unknown = given - {f.name for f in list_extensions.filters()}
    errors.update({name: _("is not a filter of the members list") for name in sorted(unknown)})
    conditions += list_extensions.conditions(actor, errors, extra_filters)
    if errors:
        raise ValidationFailed(errors)

    page = _read(actor, members, term, conditions, order, after, size)
    search_index.refresh_planner_statistics(connection)
    return page


def _read(
    actor: Actor,
    members: QuerySet,
    term: str | None,
    conditions: list[Q],
    order: SortOrder,
    after: Cursor | None,
    size: int,
) -> MemberPage:
    candidates = member_search.fts_candidates(term) if term is not None else None
    if candidates is not None and candidates.complete:
        keyed = _by_key(actor, candidates.ids).filter(*conditions)
        items, has_more, total = _read_page_by_key(actor, keyed, order, after, size)
        return _page(order, items, has_more, total, is_estimate=False)

    members = members.filter(*conditions)
    if term is not None:
        members = members.filter(member_search.contains(term))
    items, has_more = _read_page_along_index(members, order, after, size)
    if after is None and not has_more:
        total, is_estimate = len(items), False
    elif candidates is not None:
        total, is_estimate = _lower_bound(actor, candidates.ids, conditions)
        if after is None:  # this page and the row after it exist, whatever the sample says
            total = max(total, size + 1)
    else:
        total, is_estimate = _count(members, SEARCH_COUNT_CAP if term else COUNT_CAP)
    return _page(order, items, has_more, total, is_estimate)


# --- parameters --------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def member_named(account, value) -> Member | None:
    """The account's member given as a Member, an id or an email address; None if none is."""
    if isinstance(value, Member):
        return value if value.account_id == account.pk else None
    if isinstance(value, str) and "@" in value:
        return Member.objects.filter(account=account, email=normalize_email(value)).first()
    member_id = parse_id(value)
    if member_id is None:
        return None
    return Member.objects.filter(account=account, pk=member_id).first()


def parse_id(value) -> int | None:
    """A database id from text or a number: ASCII digits, 1 to 2**63 - 1; else None."""
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if 0 < value < 2**63 else None


def _parse_term(q, errors: dict) -> str | None:
    if _blank(q):
        return None
    if not isinstance(q, str):
        errors["q"] = _("must be text")
        return None
    term = q.strip()
    if len(term) > MAX_TERM_LENGTH:
        errors["q"] = _("must be at most %(limit)s characters") % {"limit": MAX_TERM_LENGTH}
    elif "\x00" in term:
        errors["q"] = _("must not contain a NUL character")
    return term


def _parse_sort(sort, errors: dict) -> SortOrder | None:
    if _blank(sort):
        return SORT_ORDERS["name"]
    order = SORT_ORDERS.get(sort) if isinstance(sort, str) else None
    if order is None:
        errors["sort"] = _("must be one of: %(choices)s") % {"choices": ", ".join(SORT_ORDERS)}
    return order


def _parse_limit(limit, errors: dict) -> int:
    if _blank(limit):
        return DEFAULT_LIMIT
    parsed = parse_id(limit)
    if parsed is None or parsed > MAX_LIMIT:
        errors["limit"] = _("must be a whole number from 1 to %(max)s") % {"max": MAX_LIMIT}
        return DEFAULT_LIMIT
    return parsed


def _parse_cursor(cursor, order: SortOrder | None, errors: dict) -> Cursor | None:
    if _blank(cursor) or order is None:
        return None
    try:
        return decode_cursor(cursor, order)
    except ValidationFailed as refusal:
        errors.update(refusal.errors)
        return None


def _parse_bool(value, name: str, errors: dict) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    errors[name] = _("must be true or false")
    return None


def _resolve(queryset: QuerySet, value, name: str, errors: dict) -> int | None:
    """The id of a row of `queryset` (already scoped to the account), or an error for `name`."""
    parsed = parse_id(value)
    if parsed is None:
        errors[name] = _("must be a numeric id")
        return None
    if not queryset.filter(pk=parsed).exists():
        errors[name] = _("no %(name)s with id %(id)s in this account") % {
            "name": name,
            "id": parsed,
        }
        return None
    return parsed


def filter_conditions(actor: Actor, errors: dict, **params) -> list[Q]:
    """The members list's built-in filters as conditions (bulk selection reuses them, so "all
    that match" is exactly what the list shows); problems go into `errors` by parameter."""
    account = actor.account
    conditions = []
    if not _blank(params["role"]):
        role_id = _resolve(Role.objects.for_account(account), params["role"], "role", errors)
        conditions.append(Q(role_id=role_id))
    if not _blank(params["status"]):
        if params["status"] in STATUSES:
            conditions.append(_status_condition(params["status"]))
        else:
            errors["status"] = _("must be one of: %(choices)s") % {"choices": ", ".join(STATUSES)}
    if not _blank(params["agent_access"]):
        enabled = _parse_bool(params["agent_access"], "agent_access", errors)
        conditions.append(Q(agent_access=enabled))
    for name, model in (("team", Team), ("division", Division), ("queue", Queue)):
        if _blank(params[name]):
            continue
        group_id = _resolve(model.objects.filter(account=account), params[name], name, errors)
        belongs = model.members.through.objects.filter(**{f"{name}_id": group_id})
        conditions.append(Q(pk__in=belongs.values("member_id")))
    return conditions


def _status_condition(status: str) -> Q:
    now = clock.now()
    if status == "expired":
        return Q(status=MemberStatus.INVITED, invitation_expires_at__lte=now)
    if status == "invited":
        # Still waiting for an answer; expired invitations are their own status (INV-4).
        return Q(status=MemberStatus.INVITED) & (
            Q(invitation_expires_at__gt=now) | Q(invitation_expires_at__isnull=True)
        )
    return Q(status=status)


# --- reading pages -----------------------------------------------------------------------


def _page(order: SortOrder, items, has_more: bool, total, is_estimate: bool) -> MemberPage:
    next_cursor = order.cursor_after(items[-1]).encode() if has_more else None
    return MemberPage(items, next_cursor, total, is_estimate)


def _read_page_along_index(
    members: QuerySet, order: SortOrder, after: Cursor | None, size: int
) -> tuple[list[Member], bool]:
    """One page after `after`, and whether more rows follow; reads at most size + 1 rows."""
    rows: list[Member] = []
    start = order.segment_of(after) if after else order.segments[0]
    for segment in order.segments[order.segments.index(start) :]:
        query = members.filter(order.segment_filter(segment))
        if after is not None and segment == start:
            query = query.filter(order.after(after))
        rows += query.order_by(*order.ordering())[: size + 1 - len(rows)]
        if len(rows) > size:
            break
    return rows[:size], len(rows) > size


class _Unindexed(Func):
    """`+column` on SQLite: the same value, but no index may be chosen for it."""

    template = "+%(expressions)s"
    output_field = models.BigIntegerField()


def _by_key(actor: Actor, ids: list[int]) -> QuerySet[Member]:
    """The actor's members among `ids`, read by primary key (SQLite: json_each, unary plus).

    Without statistics SQLite's planner guesses that `account_id = ?` is selective and walks an
    account index instead of looking up the few ids; the unary plus keeps the account check
    but takes it out of the planner's choice.
    """
    # One JSON parameter instead of thousands: the ORM's cost grows with each parameter.
    listed = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return (
        Member.objects.filter(pk__in=listed)
        .alias(in_account=_Unindexed(F("account_id")))
        .filter(in_account=actor.account.pk)
        .select_related("role")
    )


def _read_page_by_key(
    actor: Actor, keyed: QuerySet, order: SortOrder, after: Cursor | None, size: int
) -> tuple[list[Member], bool, int]:
    """One page from a short candidate list, ordered in memory; also the exact total."""
    keys = order.sorted_keys(list(keyed.values_list(order.field, "pk")))
    total = len(keys)
    if after is not None:
        keys = [key for key in keys if order.comes_after(key, after)]
    page_ids = [member_id for _, member_id in keys[: size + 1]]
    # The ids already passed every filter; read just them, still inside the account.
    by_id = _by_key(actor, page_ids).in_bulk()
    rows = [by_id[member_id] for member_id in page_ids if member_id in by_id]
    return rows[:size], len(rows) > size, total


def _lower_bound(actor: Actor, ids: list[int], conditions: list[Q]) -> tuple[int, bool]:
    # Only as many candidates as the cap: each costs a lookup, and more cannot raise the figure
    # beyond the cap.
    found = _by_key(actor, ids[: SEARCH_COUNT_CAP + 1]).filter(*conditions).count()
    return min(found, SEARCH_COUNT_CAP), True


def _count(members: QuerySet, cap: int) -> tuple[int, bool]:
    counted = members.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if counted > cap else (counted, False)
