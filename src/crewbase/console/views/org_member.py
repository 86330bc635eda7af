"""What the organisation sections of a member's profile post to (org/profile.py draws them):
teams, skills with a level, divisions and the supervisor's chat access.

A refused change re-renders the profile with the reason next to the field that caused it.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from crewbase.console.views.guards import console_page
from crewbase.console.views.members import render_profile
from crewbase.console.views.org_common import level_value
from crewbase.core.errors import ValidationFailed
from crewbase.org import actions, skill_actions, ticket_actions
from crewbase.org.models import Division, Team
from crewbase.people.selectors import get_member

READ = "users.view"


def _back(member, section: str):
    return redirect(reverse("member", args=[member.pk]) + f"#section-org_{section}")


def _refused(request, member, section: str, error: ValidationFailed):
    reasons = dict(error.errors) or {"__all__": error.message}
    request.org_errors = {section: reasons}
    return render_profile(request, member, status=422)


def _chosen_id(request, name: str) -> int | None:
    raw = request.POST.get(name, "")
    return int(raw) if raw.isdecimal() and len(raw) < 19 else None


def _change_group(request, member_id, model, section: str, verb: str):
    member = get_member(request.actor, member_id)
    key = model.__name__.lower()
    group = model.objects.filter(account=request.actor.account, pk=_chosen_id(request, key)).first()
    if group is None:
        choose = {
            "team": gettext("choose a team of this account"),
            "division": gettext("choose a division of this account"),
        }
        error = ValidationFailed({key: choose[key]})
        return _refused(request, member, section, error)
    change = getattr(actions, f"{verb}_{key}_members")
    change(actor=request.actor, **{key: group}, member_ids=[member.pk])
    done = {
        ("add", "team"): gettext("Added to team “%(name)s”."),
        ("add", "division"): gettext("Added to division “%(name)s”."),
        ("remove", "team"): gettext("Removed from team “%(name)s”."),
        ("remove", "division"): gettext("Removed from division “%(name)s”."),
    }[verb, key]
    messages.success(request, done % {"name": group.name})
    return _back(member, section)


@require_POST
@console_page(READ)
def member_teams(request, member_id: int):
    verb = "remove" if request.POST.get("do") == "remove" else "add"
    return _change_group(request, member_id, Team, "teams", verb)


@require_POST
@console_page(READ)
def member_divisions(request, member_id: int):
    verb = "remove" if request.POST.get("do") == "remove" else "add"
    return _change_group(request, member_id, Division, "divisions", verb)


@require_POST
@console_page(READ)
def member_chat_access(request, member_id: int):
    member = get_member(request.actor, member_id)
    try:
        ticket_actions.set_chat_access(
            actor=request.actor, member=member, scope=request.POST.get("chat_access", "")
        )
    except ValidationFailed as error:
        return _refused(request, member, "divisions", error)
    messages.success(request, gettext("Chat access saved."))
    return _back(member, "divisions")


@require_POST
@console_page(READ)
def member_skills(request, member_id: int):
    member = get_member(request.actor, member_id)
    skill_id = _chosen_id(request, "skill")
    try:
        if request.POST.get("do") == "remove":
            skill_actions.remove_skill(actor=request.actor, member=member, skill_id=skill_id)
            messages.success(request, gettext("Skill removed."))
        else:
            request.org_typed_level = request.POST.get("level", "")[:20]
            level = level_value(request.POST.get("level", ""))
            skill_actions.assign_skill(
                actor=request.actor, member=member, skill_id=skill_id, level=level
            )
            messages.success(request, gettext("Skill saved."))
    except ValidationFailed as error:
        return _refused(request, member, "skills", error)
    return _back(member, "skills")
