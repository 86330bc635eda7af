"""Roles with a permission matrix (ROLE-1, ROLE-2, ROLE-3): view, create, clone, edit, delete.

Anyone who may see members sees the matrix; changing roles needs `roles.manage`, which the
actions check. Built-in roles are shown read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from crewbase.access import policy
from crewbase.access.actions import create_role, delete_role, update_role
from crewbase.access.models import Role
from crewbase.access.permissions import BUILTIN_ROLES, PERMISSION_LABELS, Perm
from crewbase.console.errors import add_to_form
from crewbase.console.views.guards import console_page
from crewbase.core.errors import Conflict, DomainError, NotFound
from crewbase.people.models import Member

PERMISSION_CHOICES = [
    (p.value, format_lazy("{} ({})", _(PERMISSION_LABELS[p]), p.value)) for p in Perm
]


class RoleForm(forms.Form):
    """Collects what was typed; create_role / update_role decide what is valid."""

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        required=False,
        choices=PERMISSION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )


def _roles(actor) -> list[Role]:
    """Built-ins first in their catalogue order, then the account's own roles as created."""
    order = {key: index for index, key in enumerate(BUILTIN_ROLES)}
    roles = Role.objects.for_account(actor.account)
    return sorted(roles, key=lambda r: (not r.is_builtin, order.get(r.builtin_key, 0), r.pk))


def _role_or_404(actor, role_id: int) -> Role:
    role = Role.objects.for_account(actor.account).filter(pk=role_id).first()
    if role is None:
        raise NotFound(_("No such role in this account."))
    return role


@require_safe
@console_page("users.view")
def role_list(request):
    roles = _roles(request.actor)
    # Built-in rows are shared by every account: count only this account's members.
    counts = dict(
        Member.objects.in_account(request.actor.account)
        .order_by()
        .values_list("role_id")
        .annotate(n=Count("id"))
    )
    rows = [
        {
            "key": perm.value,
            "label": gettext(PERMISSION_LABELS[perm]),
            "cells": [perm.value in role.permission_set for role in roles],
        }
        for perm in Perm
    ]
    context = {
        "roles": [(role, counts.get(role.pk, 0)) for role in roles],
        "rows": rows,
        "can_manage": policy.can(request.actor, "roles.manage"),
    }
    return render(request, "console/roles/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("roles.manage")
def role_create(request):
    source = None
    clone_of = request.GET.get("clone_of") or request.POST.get("clone_of")
    if clone_of:
        if not str(clone_of).isdigit() or len(str(clone_of)) > 18:
            raise NotFound(_("No such role in this account."))
        source = _role_or_404(request.actor, int(clone_of))
    if request.method != "POST":
        initial = {}
        if source is not None:
            initial = {
                "name": gettext("Copy of %(name)s") % {"name": source.name},
                "permissions": source.permissions,
            }
        form = RoleForm(initial=initial)
        return _render_form(request, form, source=source)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, source=source, status=422)
    data = form.cleaned_data
    try:
        role = create_role(
            actor=request.actor,
            name=data["name"],
            description=data["description"],
            permissions=data["permissions"],
            clone_of=source.pk if source is not None else None,
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render_form(request, form, source=source, status=error.status)
    messages.success(request, gettext("Role '%(name)s' created.") % {"name": role.name})
    return redirect("role_detail", role_id=role.pk)


def _render_form(request, form, *, source=None, role=None, status=200):
    context = {"form": form, "source": source, "role": role}
    return render(request, "console/roles/form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("users.view")
def role_detail(request, role_id: int):
    role = _role_or_404(request.actor, role_id)
    can_manage = policy.can(request.actor, "roles.manage")
    if request.method != "POST":
        if role.is_builtin or not can_manage:
            return _render_read_only(request, role, can_manage)
        form = RoleForm(
            initial={
                "name": role.name,
                "description": role.description,
                "permissions": role.permissions,
            }
        )
        return _render_form(request, form, role=role)
    policy.require(request.actor, "roles.manage", target=role)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, role=role, status=422)
    data = form.cleaned_data
    try:
        update_role(
            actor=request.actor,
            role=role,
            name=data["name"],
            description=data["description"],
            permissions=data["permissions"],
        )
    except DomainError as error:
        add_to_form(form, error)
        return _render_form(request, form, role=role, status=error.status)
    messages.success(request, gettext("Role saved."))
    return redirect("role_detail", role_id=role.pk)


def _render_read_only(request, role, can_manage):
    member_count = role.members.filter(account=request.actor.account).count()
    context = {
        "role": role,
        "can_manage": can_manage,
        "member_count": member_count,
        "permissions": [
            (perm.value, gettext(PERMISSION_LABELS[perm]), perm.value in role.permission_set)
            for perm in Perm
        ],
    }
    return render(request, "console/roles/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@console_page("roles.manage")
def role_delete(request, role_id: int):
    role = _role_or_404(request.actor, role_id)
    member_count = role.members.filter(account=request.actor.account).count()
    context = {"role": role, "member_count": member_count, "error": ""}
    if request.method == "POST":
        try:
            delete_role(actor=request.actor, role=role)
        except Conflict as error:
            context["error"] = error.message
            return render(request, "console/roles/delete.html", context, status=409)
        messages.success(request, gettext("Role '%(name)s' deleted.") % {"name": role.name})
        return redirect("roles")
    return render(request, "console/roles/delete.html", context)
