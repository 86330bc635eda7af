"""Skills in the console (ORG-2): list with holder counts, create and edit with "level
required" and a min/max level within 1-100, delete with confirmation, and a page per skill
where it is given to members at a level (errors state the allowed range)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.views.guards import console_page
from crewbase.console.views.org_common import (
    level_value,
    members_by_emails,
    render_page,
    show_error,
)
from crewbase.core.errors import ValidationFailed
from crewbase.org import selectors, skill_actions
from crewbase.org.models import SKILL_LEVEL_HIGHEST, SKILL_LEVEL_LOWEST, MemberSkill, Skill

READ = "users.view"
RANGE_HELP = format_lazy(
    _("A whole number from {lowest} to {highest}."),
    lowest=SKILL_LEVEL_LOWEST,
    highest=SKILL_LEVEL_HIGHEST,
)


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=500)
    level_required = forms.BooleanField(
        label=_("Level required (every member holding it needs a level)"), required=False
    )
    min_level = forms.CharField(label=_("Lowest level"), required=False, help_text=RANGE_HELP)
    max_level = forms.CharField(label=_("Highest level"), required=False, help_text=RANGE_HELP)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "level_required": data["level_required"],
            "min_level": _bound(data["min_level"]),
            "max_level": _bound(data["max_level"]),
        }


def _bound(raw: str):
    # A blank bound stays text, so the action refuses it with the allowed range.
    return level_value(raw) if raw.strip() else ""


class AssignForm(forms.Form):
    emails = forms.CharField(
        label=_("Member emails"),
        required=False,
        help_text=_("One or more, separated by commas, spaces or new lines."),
    )
    level = forms.CharField(label=_("Level"), required=False)


def _initial(skill: Skill) -> dict:
    return {
        "name": skill.name,
        "level_required": skill.level_required,
        "min_level": skill.min_level,
        "max_level": skill.max_level,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(READ)
def skill_list(request):
    form = SkillForm(initial={"min_level": SKILL_LEVEL_LOWEST, "max_level": SKILL_LEVEL_HIGHEST})
    status = 200
    if request.method == "POST":
        form = SkillForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                skill = skill_actions.create_skill(actor=request.actor, **form.values())
            except ValidationFailed as error:
                show_error(form, error)
            else:
                messages.success(
                    request, gettext("Skill “%(name)s” created.") % {"name": skill.name}
                )
                return redirect("org_skill", skill_id=skill.pk)
    context = {"skills": selectors.list_of(Skill, request.actor), "form": form}
    return render_page(request, "org/skill_list.html", context, status)


def _skill_page(request, skill_id: int, *, form=None, assign_form=None, status=200):
    skill = selectors.one_of(Skill, request.actor, skill_id)
    holders = (
        MemberSkill.objects.filter(skill=skill)
        .select_related("member")
        .order_by("member__display_name", "member_id")
    )
    context = {
        "skill": skill,
        "holders": holders,
        "form": form or SkillForm(initial=_initial(skill)),
        "assign_form": assign_form or AssignForm(),
    }
    return render_page(request, "org/skill_detail.html", context, status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(READ)
def skill_detail(request, skill_id: int):
    if request.method != "POST":
        return _skill_page(request, skill_id)
    skill = selectors.one_of(Skill, request.actor, skill_id)
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            skill_actions.update_skill(actor=request.actor, skill=skill, **form.values())
        except ValidationFailed as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Skill saved."))
            return redirect("org_skill", skill_id=skill.pk)
    return _skill_page(request, skill_id, form=form, status=422)


@require_POST
@console_page(READ)
def skill_assign(request, skill_id: int):
    skill = selectors.one_of(Skill, request.actor, skill_id)
    form = AssignForm(request.POST)
    form.is_valid()
    try:
        members = members_by_emails(request.actor, form.data.get("emails", ""))
        level = level_value(form.data.get("level", ""))
        skill_actions.bulk_assign_skill(
            actor=request.actor, skill=skill, member_ids=[m.pk for m in members], level=level
        )
    except ValidationFailed as error:
        show_error(form, error)
        return _skill_page(request, skill_id, assign_form=form, status=422)
    given = ngettext(
        "“%(name)s” given to %(count)s member.",
        "“%(name)s” given to %(count)s members.",
        len(members),
    )
    messages.success(request, given % {"name": skill.name, "count": len(members)})
    return redirect("org_skill", skill_id=skill.pk)


@require_POST
@console_page(READ)
def skill_unassign(request, skill_id: int):
    skill = selectors.one_of(Skill, request.actor, skill_id)
    member_id = request.POST.get("member_id", "")
    holder = (
        MemberSkill.objects.filter(skill=skill, member_id=member_id).first()
        if (member_id.isdecimal() and len(member_id) < 19)
        else None
    )
    if holder is not None:
        skill_actions.remove_skill(actor=request.actor, member=holder.member, skill_id=skill.pk)
        removed = gettext("“%(skill)s” removed from %(name)s.")
        messages.success(
            request, removed % {"skill": skill.name, "name": holder.member.display_name}
        )
    return redirect("org_skill", skill_id=skill.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page(READ)
def skill_delete(request, skill_id: int):
    skill = selectors.one_of(Skill, request.actor, skill_id)
    if request.method == "POST":
        skill_actions.delete_skill(actor=request.actor, skill=skill)
        messages.success(request, gettext("Skill “%(name)s” deleted.") % {"name": skill.name})
        return redirect("org_skills")
    kind = {"title": _("Skill"), "key": "skill", "plural": "skills", "noun": _("skill")}
    context = {"kind": kind, "group": skill, "detail_url": "org_skill"}
    return render_page(request, "org/confirm_delete.html", context)
