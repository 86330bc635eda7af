"""The organisation sections of a member's profile: teams, skills (with level), queues and
divisions (with the supervisor's chat access). Their forms post to
console/views/org_member.py, which puts a refusal's reasons on `request.org_errors`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.console import profile_sections
from crewbase.org.models import ChatAccess, Division, MemberSkill, Skill, Team
from crewbase.org.tickets import chat_access_of

MANAGE = "teams.manage"
READ = "users.view"


def _errors(request, section: str) -> dict:
    return getattr(request, "org_errors", {}).get(section, {})


def _groups(request, member, model, related: str) -> dict | None:
    if not policy.can(request.actor, READ):
        return None
    current = list(getattr(member, related).order_by("name", "pk"))
    held = {g.pk for g in current}
    others = [
        g
        for g in model.objects.filter(account=member.account).order_by("name", "pk")
        if g.pk not in held
    ]
    return {
        "current": current,
        "others": others,
        "can_change": policy.can(request.actor, MANAGE),
        # A refusal posted from this section, shown next to the field that caused it.
        "group_error": _errors(request, related).get(model.__name__.lower()),
    }


def teams_context(request, member):
    return _groups(request, member, Team, "teams")


def divisions_context(request, member):
    context = _groups(request, member, Division, "divisions")
    if context is not None:
        context["chat_access"] = chat_access_of(member)
        context["chat_choices"] = ChatAccess.choices
        context["chat_error"] = _errors(request, "divisions").get("chat_access")
    return context


def queues_context(request, member):
    if not policy.can(request.actor, READ):
        return None
    return {"current": list(member.queues.order_by("name", "pk"))}


def skills_context(request, member):
    if not policy.can(request.actor, READ):
        return None
    held = list(MemberSkill.objects.filter(member=member).select_related("skill"))
    taken = {a.skill_id for a in held}
    return {
        "held": held,
        "others": [
            s
            for s in Skill.objects.filter(account=member.account).order_by("name", "pk")
            if s.pk not in taken
        ],
        "can_change": policy.can(request.actor, MANAGE),
        "errors": _errors(request, "skills"),
        "typed_level": getattr(request, "org_typed_level", ""),
    }


for _key, _title, _context, _order in (
    ("org_teams", _("Teams"), teams_context, 20),
    ("org_skills", _("Skills"), skills_context, 21),
    ("org_queues", _("Queues"), queues_context, 22),
    ("org_divisions", _("Divisions"), divisions_context, 23),
):
    profile_sections.register(
        profile_sections.ProfileSection(
            key=_key,
            title=_title,
            template=f"org/_profile_{_key.removeprefix('org_')}.html",
            context=_context,
            order=_order,
        )
    )
