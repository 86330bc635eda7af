"""Deleting and exporting tickets (ORG-5), and a supervisor's chat access (ORG-4)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.export import FORMULA_STARTS
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.org.actions import MANAGE
from crewbase.org.models import ChatAccess, MemberChatAccess, Ticket
from crewbase.org.tickets import chat_access_of, tickets_visible_to, visible_ticket
from crewbase.people.models import Member

EXPORT_COLUMNS = (
    "id",
    "subject",
    "status",
    "assignee",
    "queue",
    "team",
    "division",
    "created_at",
    "updated_at",
)
CHUNK_ROWS = 2000


def delete_ticket(*, actor: Actor, ticket_id) -> None:
    """Deletes a ticket the actor can see; needs `tickets.delete`."""
    policy.require(actor, "tickets.delete")
    with transaction.atomic():
        ticket = visible_ticket(actor, ticket_id)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        record(
            actor,
            "ticket.deleted",
            ticket,
            before={
                "subject": ticket.subject,
                "status": ticket.status,
                "assignee": ticket.assignee.email if ticket.assignee_id else None,
            },
        )
        ticket.delete()


def export_tickets(*, actor: Actor) -> QuerySet[Ticket]:
    """The tickets the actor sees, for a CSV export; needs `data.export`. Recorded."""
    policy.require(actor, "data.export")
    tickets = tickets_visible_to(actor)
    with transaction.atomic():
        record(actor, "tickets.exported", None, after={"count": tickets.count()})
    return tickets


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell a spreadsheet would run as a formula is quoted (CSV injection).
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def iter_tickets_csv(tickets: QuerySet[Ticket]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    rows = tickets.select_related("assignee", "queue", "team", "division").order_by("pk")
    for number, ticket in enumerate(rows.iterator(chunk_size=CHUNK_ROWS)):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    ticket.pk,
                    ticket.subject,
                    ticket.status,
                    ticket.assignee.email if ticket.assignee_id else "",
                    ticket.queue,
                    ticket.team,
                    ticket.division,
                    ticket.created_at.isoformat(),
                    ticket.updated_at.isoformat(),
                )
            ]
        )
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def set_chat_access(*, actor: Actor, member: Member, scope) -> str:
    """Sets the member's chat access: "all" divisions or "assigned" divisions only."""
    policy.require(actor, MANAGE, target=member)
    if scope not in ChatAccess.values:
        raise ValidationFailed({"chat_access": _("must be 'all' or 'assigned'")})
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        before = chat_access_of(member)
        if before == scope:
            return scope
        MemberChatAccess.objects.update_or_create(member=member, defaults={"scope": scope})
        record(
            actor,
            "member.chat_access_changed",
            member,
            before={"chat_access": before},
            after={"chat_access": scope},
        )
        return scope
