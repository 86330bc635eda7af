"""The account's manual checklist items (onboarding and offboarding): list, add, rename, delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.errors import add_to_form, sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, NotFound, PermissionDenied
from crewbase.governance import checklists
from crewbase.governance.forms import ChecklistItemForm
from crewbase.governance.models import ChecklistKind


def _page(request, form=None, status=200):
    account = request.actor.account
    context = {
        "lists": [
            (kind, label, checklists.items_of(account, kind))
            for kind, label in ChecklistKind.choices
        ],
        "form": form or ChecklistItemForm(),
    }
    return render(request, "governance/checklist_items.html", context, status=status)


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def item_list(request):
    if request.method != "POST":
        return _page(request)
    form = ChecklistItemForm(request.POST)
    form.is_valid()
    try:
        item = checklists.create_item(
            actor=request.actor,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        add_to_form(form, error)
        return _page(request, form, status=error.status)
    messages.success(
        request,
        gettext("'%(title)s' added to the %(kind)s checklist.")
        % {"title": item.title, "kind": item.get_kind_display().lower()},
    )
    return redirect("governance_items")


def _item(request, item_id):
    try:
        return checklists.get_item(request.actor, int(item_id))
    except ValueError:
        raise NotFound(gettext("No such checklist item.")) from None


@console_page("users.manage")
@require_POST
def item_rename(request, item_id):
    item = _item(request, item_id)
    try:
        checklists.rename_item(actor=request.actor, item=item, title=request.POST.get("title", ""))
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(
            request,
            gettext("'%(title)s': %(problem)s")
            % {"title": item.title, "problem": sentence(error.message)},
        )
        return redirect("governance_items")
    messages.success(request, gettext("Item renamed."))
    return redirect("governance_items")


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def item_delete(request, item_id):
    item = _item(request, item_id)
    if request.method != "POST":
        return render(request, "governance/checklist_item_delete.html", {"item": item})
    checklists.delete_item(actor=request.actor, item=item)
    messages.success(
        request,
        gettext("'%(title)s' deleted. Who ticked it stays in the activity log.")
        % {"title": item.title},
    )
    return redirect("governance_items")
