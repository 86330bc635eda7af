"""The users list gains a presence filter and column, and tickets handled in 7 days (LIST-4)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.people.list_extensions import (
    MemberColumn,
    MemberFilter,
    register_column,
    register_filter,
)
from crewbase.work import performance, presence
from crewbase.work.models import PresenceStatus

PRESENCE_CHOICES = [("", _("Any presence")), *PresenceStatus.choices]


def _parse_presence(actor, raw: str, errors: dict):
    value = raw.lower()
    if value not in PresenceStatus.values:
        errors["presence"] = gettext("must be online, away or offline")
        return None
    return presence.members_with_status(actor.account.pk, value)


def register_all() -> None:
    register_filter(
        MemberFilter(
            name="presence",
            label=_("Presence"),
            parse=_parse_presence,
            choices=lambda account: PRESENCE_CHOICES,
            description="online, away or offline (from activity, or as the host set it)",
        )
    )
    register_column(
        MemberColumn(
            key="presence",
            label=_("Presence"),
            template="work/_presence_cell.html",
            values=presence.presence_of,
        )
    )
    register_column(
        MemberColumn(
            key="tickets_7d",
            label=_("Tickets (7 days)"),
            template="console/members/_text_cell.html",
            values=lambda members: {
                m.pk: n
                for m, n in _with_zero(members, performance.handled_since([m.pk for m in members]))
            },
        )
    )


def _with_zero(members, counts: dict):
    return [(m, counts.get(m.pk, 0)) for m in members]
