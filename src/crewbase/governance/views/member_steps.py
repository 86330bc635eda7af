"""Profile-section forms: tick an onboarding item, schedule or cancel a lifecycle change."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from crewbase.console.errors import sentence
from crewbase.console.views.guards import console_page
from crewbase.console.views.members import render_profile
from crewbase.core.errors import DomainError, NotFound, PermissionDenied
from crewbase.governance import checklists, schedules
from crewbase.governance.forms import ScheduleForm
from crewbase.people.selectors import get_member


def _to_section(member, key: str):
    return redirect(f"/members/{member.pk}/#section-{key}")


@console_page("users.view")
@require_POST
def tick(request, member_id, item_id):
    member = get_member(request.actor, member_id)
    item = checklists.get_item(request.actor, item_id)
    state = request.POST.get("state", "done")
    try:
        checklists.set_tick(actor=request.actor, member=member, item=item, state=state)
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, sentence(error.message))
        return _to_section(member, "onboarding")
    done = {
        "done": gettext("'%(title)s' ticked for %(name)s."),
        "open": gettext("'%(title)s' unticked for %(name)s."),
    }.get(state, gettext("'%(title)s' skipped for %(name)s."))
    messages.success(request, done % {"title": item.title, "name": member.display_name})
    return _to_section(member, "onboarding")


@console_page("users.manage")
@require_POST
def schedule(request, member_id):
    member = get_member(request.actor, member_id)
    form = ScheduleForm(request.POST, member=member)
    form.is_valid()
    data = request.POST
    try:
        schedules.schedule_change(
            actor=request.actor,
            member=member,
            action=data.get("action", ""),
            run_at=data.get("run_at", ""),
            reason=data.get("reason", "") if data.get("action") == "deactivate" else "",
            reassign_to=data.get("reassign_to") or None,
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        from crewbase.console.errors import add_to_form

        add_to_form(form, error, aliases={"member": "__all__"})
        if not form.errors:
            form.add_error(None, sentence(error.message))
        request.governance_schedule_form = form
        return render_profile(request, member, status=error.status)
    messages.success(
        request, gettext("The change for %(email)s is scheduled.") % {"email": member.email}
    )
    return _to_section(member, "schedule")


@console_page("users.manage")
@require_POST
def cancel_schedule(request, member_id):
    member = get_member(request.actor, member_id)
    try:
        schedules.cancel_schedule(actor=request.actor, member=member)
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, sentence(error.message))
        return _to_section(member, "schedule")
    messages.success(
        request,
        gettext("The scheduled change for %(email)s was cancelled.") % {"email": member.email},
    )
    return _to_section(member, "schedule")
