"""Exporting members as CSV or JSON, streamed in constant memory (ACT-3's sibling for members).

The writers take any queryset of members and a text stream; rows are read in keyset chunks
of plain values (with the chunk's team and division names in one query each), so a million
members never sit in memory at once and no database cursor stays open during the export.
`export_members` is the action: it checks permissions and records the export.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.org.models import Division, Team
from crewbase.people.models import MemberStatus
from crewbase.people.selectors import members_visible_to

COLUMNS = (
    "email",
    "name",
    "role",
    "status",
    "agent_access",
    "teams",
    "divisions",
    "owner",
    "billing_contact",
    "joined_at",
    "last_sign_in_at",
)
FORMATS = ("csv", "json")
CHUNK_SIZE = 2000
PROGRESS_EVERY = 10_000
# A cell starting with one of these is a formula to Excel and LibreOffice; a leading
# apostrophe keeps a member-chosen name like "=HYPERLINK(…)" as text (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int], None] | None


MEMBER_FIELDS = (
    "id",
    "email",
    "display_name",
    "role__name",
    "status",
    "agent_access",
    "is_owner",
    "is_billing_contact",
    "joined_at",
    "last_sign_in_at",
    "invitation_expires_at",
)


def _chunks(queryset: QuerySet) -> Iterator[tuple[list[dict], QuerySet]]:
    """Plain rows in id order, CHUNK_SIZE at a time, each chunk its own short query: keyset
    paging needs no cursor held open across the export (nor a server-side one).

    Each chunk comes with a subquery selecting its ids, for the team and division look-ups:
    the database re-reads 2,000 ids from an index faster than Django and the driver can
    send them back as 2,000 parameters.
    """
    ordered = queryset.order_by("id")
    last_id = 0
    while True:
        page = ordered.filter(id__gt=last_id)[:CHUNK_SIZE]
        chunk = list(page.values(*MEMBER_FIELDS))
        if not chunk:
            return
        yield chunk, page.values("id")
        last_id = chunk[-1]["id"]


def _names_by_member(link_model, group_field: str, member_ids: QuerySet) -> dict[int, list]:
    """Team (or division) names of each member, from the many-to-many link table."""
    names: dict[int, list] = defaultdict(list)
    links = link_model.objects.filter(member_id__in=member_ids).values_list(
        "member_id", f"{group_field}__name"
    )
    for member_id, name in links:
        names[member_id].append(name)
    return names


def _status(row: dict, now) -> str:
    # The same words as the members list filter: invited members whose link ran out are "expired".
    expires = row["invitation_expires_at"]
    if row["status"] == MemberStatus.INVITED and expires is not None and expires <= now:
        return "expired"
    return row["status"]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def member_rows(queryset: QuerySet) -> Iterator[dict]:
    """One plain dict per member, in id order, streamed from the database in chunks."""
    now = clock.now()
    for chunk, ids in _chunks(queryset):
        teams = _names_by_member(Team.members.through, "team", ids)
        divisions = _names_by_member(Division.members.through, "division", ids)
        for row in chunk:
            yield {
                "email": row["email"],
                "name": row["display_name"],
                "role": row["role__name"],
                "status": _status(row, now),
                "agent_access": row["agent_access"],
                "teams": sorted(teams.get(row["id"], [])),
                "divisions": sorted(divisions.get(row["id"], [])),
                "owner": row["is_owner"],
                "billing_contact": row["is_billing_contact"],
                "joined_at": _iso(row["joined_at"]),
                "last_sign_in_at": _iso(row["last_sign_in_at"]),
            }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _report(count: int, on_progress: Progress) -> None:
    if on_progress is not None and count % PROGRESS_EVERY == 0:
        on_progress(count)


def write_members_csv(queryset: QuerySet, stream, *, on_progress: Progress = None) -> int:
    """CSV for spreadsheets: a UTF-8 byte-order mark first (utf-8-sig), one row per member.

    `stream` is a text stream (open files with newline=""); returns the number of rows.
    """
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for row in member_rows(queryset):
        writer.writerow([_csv_cell(row[column]) for column in COLUMNS])
        count += 1
        _report(count, on_progress)
    return count


def write_members_json(queryset: QuerySet, stream, *, on_progress: Progress = None) -> int:
    """A JSON array of objects, written one member at a time; returns the number of rows."""
    stream.write("[")
    count = 0
    for row in member_rows(queryset):
        stream.write(("\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        count += 1
        _report(count, on_progress)
    stream.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_members_csv, "json": write_members_json}


def export_members(*, actor: Actor, stream, fmt: str, on_progress: Progress = None) -> int:
    """Write the actor's account's members to `stream`; needs `data.export` (ORG-5)."""
    if fmt not in WRITERS:
        raise ValidationFailed(
            {"format": _("must be one of: %(choices)s") % {"choices": ", ".join(FORMATS)}}
        )
    policy.require(actor, "data.export")
    queryset = members_visible_to(actor)
    # Recorded before the rows are written, in its own short transaction: an export that is
    # interrupted half-way has still been logged, and the long read holds no write lock.
    with transaction.atomic():
        record(
            actor,
            "members.exported",
            actor.account,
            after={"format": fmt, "rows": queryset.count()},
        )
    return WRITERS[fmt](queryset, stream, on_progress=on_progress)
