"""The offboarding page's closing items and its summary of what was handed over (LIFE-6, LIFE-8).

Decision: each closing item must be marked "done" or "skipped" (a conscious skip, recorded with
who and when) before the member can be offboarded; the ticks and the offboarding happen in one
transaction, so a refused offboarding leaves no ticks behind.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render

from crewbase.core.actor import Actor
from crewbase.governance.checklists import items_of, set_tick, ticks_for
from crewbase.governance.models import ChecklistKind
from crewbase.org.models import Macro, SavedView, Ticket
from crewbase.people.actions import limits
from crewbase.people.actions.lifecycle import OffboardResult, offboard_member
from crewbase.people.models import Member


def closing_items_context(member: Member, data=None, errors: dict | None = None) -> dict:
    errors = errors or {}
    ticks = ticks_for(member, ChecklistKind.OFFBOARDING)
    rows = []
    for item in items_of(member.account, ChecklistKind.OFFBOARDING):
        chosen = data.get(f"closing_{item.pk}", "") if data is not None else ""
        if not chosen and item.pk in ticks:
            chosen = ticks[item.pk].state
        rows.append(
            {"item": item, "chosen": chosen, "error": errors.get(f"closing_item_{item.pk}")}
        )
    return {"closing_items": rows}


def offboard_with_closing_items(*, actor: Actor, member: Member, data, **kwargs) -> OffboardResult:
    """Record each closing item as the form says ("done"/"skipped"), then offboard."""
    with transaction.atomic():
        limits.lock_account(actor.account)  # the order offboard_member locks in
        ticks = ticks_for(member, ChecklistKind.OFFBOARDING)
        for item in items_of(member.account, ChecklistKind.OFFBOARDING):
            state = data.get(f"closing_{item.pk}", "")
            if state in ("done", "skipped") and getattr(ticks.get(item.pk), "state", "") != state:
                set_tick(actor=actor, member=member, item=item, state=state)
        return offboard_member(actor=actor, member=member, **kwargs)


def summary_page(request, member: Member, result: OffboardResult):
    """What was handed over, shown right after the offboarding."""
    deactivation = result.deactivation
    context = {
        "member": member,
        "result": result,
        "tickets": Ticket.objects.filter(pk__in=deactivation.ticket_ids).select_related("assignee"),
        "macros": Macro.objects.filter(pk__in=result.macro_ids).select_related("owner"),
        "views": SavedView.objects.filter(pk__in=result.saved_view_ids).select_related("owner"),
        "closing": ticks_for(member, ChecklistKind.OFFBOARDING).values(),
    }
    return render(request, "governance/offboard_summary.html", context)
