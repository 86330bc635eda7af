"""Teams, divisions and queues in the console (ORG-1, ORG-3, ORG-4): list with member counts,
create, rename, delete with confirmation, and a page per group with its members.

Teams and divisions add and remove members; a queue's agents are set from the queue page
(ORG-3), where only active members with agent access are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.views.guards import console_page
from crewbase.console.views.org_common import (
    EmailsForm,
    GroupForm,
    members_by_emails,
    render_page,
    show_error,
)
from crewbase.core.errors import ValidationFailed
from crewbase.org import actions, selectors, ticket_actions
from crewbase.org.models import ChatAccess, Division, MemberChatAccess, Queue, Team

READ = "users.view"


@dataclass(frozen=True)
class Kind:
    model: type
    key: str  # "team"
    plural: str  # "teams"
    title: str  # "Team"
    plural_title: str  # "Teams"
    noun: str  # "team", inside a sentence, in the reader's language
    about: str  # one line under the list heading

    def action(self, verb: str):
        return getattr(actions, f"{verb}_{self.key}")


TEAM = Kind(
    Team,
    "team",
    "teams",
    _("Team"),
    _("Teams"),
    _("team"),
    _("Group members for routing, reporting and permissions."),
)
DIVISION = Kind(
    Division,
    "division",
    "divisions",
    _("Division"),
    _("Divisions"),
    _("division"),
    _(
        "Parts of the organisation. A supervisor whose chat access is “assigned divisions only” "
        "sees the tickets of their own divisions."
    ),
)
QUEUE = Kind(
    Queue,
    "queue",
    "queues",
    _("Queue"),
    _("Queues"),
    _("queue"),
    _("Where work waits for agents. Only active members with agent access can be in a queue."),
)
KINDS = {k.key: k for k in (TEAM, DIVISION, QUEUE)}


def _list(request, kind: Kind):
    form = GroupForm()
    status = 200
    if request.method == "POST":
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = kind.action("create")(
                    actor=request.actor,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationFailed as error:
                show_error(form, error)
                status = 422
            else:
                created = gettext("%(kind)s “%(name)s” created.")
                messages.success(request, created % {"kind": kind.title, "name": group.name})
                return redirect(f"org_{kind.key}", group_id=group.pk)
        else:
            status = 422
    context = {
        "kind": kind,
        "groups": selectors.list_of(kind.model, request.actor),
        "form": form,
    }
    return render_page(request, "org/group_list.html", context, status)


def _member_rows(kind: Kind, group) -> list[dict]:
    members = selectors.members_of(group)
    scopes = {}
    if kind is DIVISION:
        scopes = dict(
            MemberChatAccess.objects.filter(member__in=members).values_list("member_id", "scope")
        )
    return [{"member": m, "chat_access": scopes.get(m.pk, ChatAccess.ALL)} for m in members]


def _detail(request, kind: Kind, group_id: int, *, form=None, add_form=None, status=200):
    group = selectors.one_of(kind.model, request.actor, group_id)
    if request.method == "POST" and form is None:
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                _update(kind, request.actor, group, form.cleaned_data)
            except ValidationFailed as error:
                show_error(form, error)
                status = 422
            else:
                messages.success(request, gettext("%(kind)s saved.") % {"kind": kind.title})
                return redirect(f"org_{kind.key}", group_id=group.pk)
        else:
            status = 422
    context = {
        "kind": kind,
        "group": group,
        "rows": _member_rows(kind, group),
        "form": form or _form(group),
        "add_form": add_form or EmailsForm(),
        "chat_choices": ChatAccess.choices,
    }
    return render_page(request, "org/group_detail.html", context, status)


def _update(kind: Kind, actor, group, data: dict) -> None:
    kind.action("update")(
        actor=actor, **{kind.key: group}, name=data["name"], description=data["description"]
    )


def _delete(request, kind: Kind, group_id: int):
    group = selectors.one_of(kind.model, request.actor, group_id)
    if request.method == "POST":
        kind.action("delete")(actor=request.actor, **{kind.key: group})
        deleted = gettext("%(kind)s “%(name)s” deleted.")
        messages.success(request, deleted % {"kind": kind.title, "name": group.name})
        return redirect(f"org_{kind.plural}")
    return render_page(request, "org/confirm_delete.html", {"kind": kind, "group": group})


def _change_members(request, kind: Kind, group_id: int, verb: str):
    """Adds (verb "add") or removes ("remove") the members named by email or by id."""
    group = selectors.one_of(kind.model, request.actor, group_id)
    add_form = EmailsForm(request.POST)
    add_form.is_valid()
    try:
        member_id = request.POST.get("member_id", "")
        if member_id.isdecimal() and len(member_id) < 19:
            ids = [int(member_id)]
        else:
            ids = [m.pk for m in members_by_emails(request.actor, add_form.data.get("emails", ""))]
        changed = getattr(actions, f"{verb}_{kind.key}_members")(
            actor=request.actor, **{kind.key: group}, member_ids=ids
        )
    except ValidationFailed as error:
        show_error(add_form, error)
        return _detail(request, kind, group_id, add_form=add_form, status=422, form=_form(group))
    names = ", ".join(m.display_name or m.email for m in changed) or gettext("nobody new")
    done = gettext("Added: %(names)s.") if verb == "add" else gettext("Removed: %(names)s.")
    messages.success(request, done % {"names": names})
    return redirect(f"org_{kind.key}", group_id=group.pk)


def _form(group) -> GroupForm:
    return GroupForm(initial={"name": group.name, "description": group.description})


def _set_queue(request, group_id: int):
    """The queue's agents become the kept ones plus the emails typed (all or nothing)."""
    queue = selectors.one_of(Queue, request.actor, group_id)
    add_form = EmailsForm(request.POST)
    add_form.is_valid()
    kept = [int(i) for i in request.POST.getlist("keep") if i.isdecimal() and len(i) < 19]
    try:
        typed = add_form.data.get("emails", "")
        added = members_by_emails(request.actor, typed) if typed.strip() else []
        actions.set_queue_members(
            actor=request.actor, queue=queue, member_ids=kept + [m.pk for m in added]
        )
    except ValidationFailed as error:
        show_error(add_form, error)
        if "member_ids" in error.errors:
            # "Nothing was changed. Only active members with agent access can join a queue…"
            add_form.add_error(None, error.message)
        return _detail(request, QUEUE, group_id, add_form=add_form, status=422, form=_form(queue))
    messages.success(request, gettext("Queue agents saved."))
    return redirect("org_queue", group_id=queue.pk)


def _set_chat_access(request, group_id: int):
    division = selectors.one_of(Division, request.actor, group_id)
    member_id = request.POST.get("member_id", "")
    member = (
        division.members.filter(pk=int(member_id)).first()
        if member_id.isdecimal() and len(member_id) < 19
        else None
    )
    if member is None:
        messages.error(request, gettext("That member is not in this division."))
        return redirect("org_division", group_id=division.pk)
    try:
        ticket_actions.set_chat_access(
            actor=request.actor, member=member, scope=request.POST.get("chat_access", "")
        )
    except ValidationFailed as error:
        reason = error.errors.get("chat_access", error.message)
        messages.error(request, gettext("Chat access %(reason)s") % {"reason": reason})
        return redirect("org_division", group_id=division.pk)
    saved = gettext("Chat access of %(name)s saved.")
    messages.success(request, saved % {"name": member.display_name or member.email})
    return redirect("org_division", group_id=division.pk)


# --- the views, one set per kind --------------------------------------------------------


def _views(kind: Kind) -> dict:
    @require_http_methods(["GET", "HEAD", "POST"])
    @console_page(READ)
    def group_list(request):
        return _list(request, kind)

    @require_http_methods(["GET", "HEAD", "POST"])
    @console_page(READ)
    def group_detail(request, group_id: int):
        return _detail(request, kind, group_id)

    @require_http_methods(["GET", "HEAD", "POST"])
    @console_page(READ)
    def group_delete(request, group_id: int):
        return _delete(request, kind, group_id)

    @require_POST
    @console_page(READ)
    def add_members(request, group_id: int):
        return _change_members(request, kind, group_id, "add")

    @require_POST
    @console_page(READ)
    def remove_members(request, group_id: int):
        return _change_members(request, kind, group_id, "remove")

    return {
        "list": group_list,
        "detail": group_detail,
        "delete": group_delete,
        "add": add_members,
        "remove": remove_members,
    }


TEAM_VIEWS = _views(TEAM)
DIVISION_VIEWS = _views(DIVISION)
QUEUE_VIEWS = _views(QUEUE)


@require_POST
@console_page(READ)
def queue_members(request, group_id: int):
    return _set_queue(request, group_id)


@require_POST
@console_page(READ)
def division_chat_access(request, group_id: int):
    return _set_chat_access(request, group_id)
