"""The member profile's "Onboarding" and "Scheduled change" sections (LIFE-8, LIFE-9)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.console.profile_sections import ProfileSection, register
from crewbase.governance import checklists, schedules
from crewbase.governance.forms import ScheduleForm
from crewbase.governance.onboarding import progress_for


def onboarding_context(request, member) -> dict | None:
    if not policy.can(request.actor, "users.view"):
        return None
    can_tick = any(policy.can(request.actor, perm) for perm in checklists.TICKERS)
    return {"progress": progress_for([member])[member.pk], "can_tick": can_tick}


def schedule_context(request, member) -> dict | None:
    if not policy.can(request.actor, "users.manage") or member.status == "invited":
        return None
    pending = schedules.pending_for(member)
    zone = schedules.local_zone(member.account)
    return {
        "pending": pending,
        "pending_local": pending.run_at.astimezone(zone) if pending else None,
        "history": schedules.history_for(member),
        "zone": zone.key,
        # A refused POST leaves its form (with errors next to the fields) on the request.
        "form": getattr(request, "governance_schedule_form", None)
        or ScheduleForm(member=member, pending=pending),
        "can_schedule": not member.is_owner,
    }


def register_all() -> None:
    register(
        ProfileSection(
            key="onboarding",
            title=_("Onboarding"),
            template="governance/_onboarding_section.html",
            context=onboarding_context,
            order=40,
        )
    )
    register(
        ProfileSection(
            key="schedule",
            title=_("Scheduled change"),
            template="governance/_schedule_section.html",
            context=schedule_context,
            order=45,
        )
    )
