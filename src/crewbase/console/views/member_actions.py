"""What an admin does from a member's profile: each a POST calling one action.

Destructive steps (cancel invitation, sign out everywhere, deactivate, delete, offboard) show a
confirmation page on GET and act only on its POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crewbase.console.errors import add_to_form, sentence
from crewbase.console.forms import DeactivateForm, OffboardForm, ProfileForm, RoleForm
from crewbase.console.views.guards import console_page
from crewbase.console.views.members import render_profile
from crewbase.core.errors import DomainError, NotFound, PermissionDenied
from crewbase.people.actions.changes import (
    change_role,
    set_agent_access,
    sign_out_everywhere,
    update_member,
)
from crewbase.people.actions.invitations import cancel_invitation, resend_invitation
from crewbase.people.actions.lifecycle import (
    deactivate_member,
    delete_member,
    reactivate_member,
)
from crewbase.people.actions.passwords import send_password_reset
from crewbase.people.selectors import get_member


def _to_profile(member):
    return redirect("member", member_id=member.pk)


def _refused(request, member, error: DomainError):
    # Permission and not-found go to the plain 403/404 pages (console_page); the rest are
    # refusals about this member's state, said on the profile.
    if isinstance(error, PermissionDenied | NotFound):
        raise error
    messages.error(request, sentence(error.message))
    return _to_profile(member)


@console_page("users.manage")
@require_POST
def edit(request, member_id):
    member = get_member(request.actor, member_id)
    form = ProfileForm(request.POST, initial={"email": member.email})
    form.is_valid()
    changes = {name: request.POST.get(name, "") for name in ("first_name", "last_name", "phone")}
    try:
        update_member(actor=request.actor, member=member, changes=changes)
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        add_to_form(form, error)
        return render_profile(request, member, profile_form=form, status=422)
    messages.success(request, _("Profile saved."))
    return _to_profile(member)


@console_page("users.manage")
@require_POST
def role(request, member_id):
    member = get_member(request.actor, member_id)
    form = RoleForm(request.POST, account=request.actor.account)
    try:
        changed = change_role(
            actor=request.actor, member=member, role_id=request.POST.get("role", "")
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        add_to_form(form, error)
        if not form.errors:
            form.add_error("role", sentence(error.message))
        return render_profile(request, member, role_form=form, status=error.status)
    messages.success(request, _("Role is now %(role)s.") % {"role": changed.role.name})
    return _to_profile(member)


@console_page("users.manage")
@require_POST
def agent_access(request, member_id):
    member = get_member(request.actor, member_id)
    enabled = request.POST.get("agent_access") == "true"
    try:
        set_agent_access(actor=request.actor, member=member, enabled=enabled)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request, _("Agent access turned on.") if enabled else _("Agent access turned off.")
    )
    return _to_profile(member)


@console_page("users.invite")
@require_POST
def resend(request, member_id):
    member = get_member(request.actor, member_id)
    try:
        invitation = resend_invitation(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request,
        _(
            "Invitation sent again to %(email)s; the new link expires "
            "%(expires)s UTC and the old one no longer works."
        )
        % {"email": member.email, "expires": f"{invitation.expires_at:%Y-%m-%d %H:%M}"},
    )
    next_url = request.POST.get("next", "")
    return redirect(next_url) if next_url == "/members/invite/" else _to_profile(member)


@console_page("users.manage")
@require_POST
def reset_password(request, member_id):
    member = get_member(request.actor, member_id)
    try:
        send_password_reset(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request, _("A password reset link was emailed to %(email)s.") % {"email": member.email}
    )
    return _to_profile(member)


@console_page("users.manage")
@require_POST
def reactivate(request, member_id):
    member = get_member(request.actor, member_id)
    try:
        result = reactivate_member(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    if result.agent_access_dropped:
        text = _(
            "%(email)s is active again. Queues are not restored; add them again if needed. "
            "Agent access was turned off: no agent seat is free."
        )
    else:
        text = _("%(email)s is active again. Queues are not restored; add them again if needed.")
    text = text % {"email": member.email}
    messages.success(request, text)
    return _to_profile(member)


def _confirm(request, member, *, template: str, form=None, status=200, **extra):
    context = {"member": member, "form": form, **extra}
    return render(request, f"console/members/{template}", context, status=status)


@console_page("users.invite")
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_invite(request, member_id):
    member = get_member(request.actor, member_id)
    if request.method != "POST":
        return _confirm(request, member, template="confirm_cancel_invite.html")
    try:
        cancel_invitation(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request, _("The invitation to %(email)s was cancelled.") % {"email": member.email}
    )
    return redirect("members")


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_out(request, member_id):
    member = get_member(request.actor, member_id)
    if request.method != "POST":
        return _confirm(request, member, template="confirm_sign_out.html")
    try:
        ended = sign_out_everywhere(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request,
        _("%(email)s was signed out of %(count)s session(s).")
        % {"email": member.email, "count": ended},
    )
    return _to_profile(member)


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def deactivate(request, member_id):
    member = get_member(request.actor, member_id)
    if request.method != "POST":
        form = DeactivateForm()
        return _confirm(request, member, template="confirm_deactivate.html", form=form)
    form = DeactivateForm(request.POST)
    if not form.is_valid():  # an id not on the list would otherwise reach the database
        return _confirm(request, member, template="confirm_deactivate.html", form=form, status=422)
    try:
        result = deactivate_member(
            actor=request.actor,
            member=member,
            reason=form.cleaned_data["reason"],
            reassign_to=form.cleaned_data["reassign_to"] or None,
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        add_to_form(form, error, aliases={"member": "__all__"})
        if not form.errors:
            form.add_error(None, sentence(error.message))
        return _confirm(
            request, member, template="confirm_deactivate.html", form=form, status=error.status
        )
    messages.success(
        request,
        _(
            "%(email)s was deactivated: %(tickets)s open ticket(s) reassigned, "
            "%(sessions)s session(s) ended."
        )
        % {
            "email": member.email,
            "tickets": result.tickets_reassigned,
            "sessions": result.sessions_ended,
        },
    )
    return _to_profile(member)


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, member_id):
    member = get_member(request.actor, member_id)
    if request.method != "POST":
        return _confirm(request, member, template="confirm_delete.html")
    try:
        delete_member(actor=request.actor, member=member)
    except DomainError as error:
        return _refused(request, member, error)
    messages.success(
        request,
        _("%(email)s was deleted permanently. Their history is kept.") % {"email": member.email},
    )
    return redirect("members")


@console_page("users.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def offboard(request, member_id):
    from crewbase.governance import offboarding  # closing items and the summary (LIFE-6/8)

    member = get_member(request.actor, member_id)
    if request.method != "POST":
        form = OffboardForm()
        closing = offboarding.closing_items_context(member)
        return _confirm(request, member, template="confirm_offboard.html", form=form, **closing)
    form = OffboardForm(request.POST)
    closing = offboarding.closing_items_context(member, request.POST)
    if not form.is_valid():
        return _confirm(
            request, member, template="confirm_offboard.html", form=form, status=422, **closing
        )
    try:
        result = offboarding.offboard_with_closing_items(
            actor=request.actor,
            member=member,
            data=request.POST,
            reassign_tickets_to=form.cleaned_data["reassign_tickets_to"] or None,
            transfer_assets_to=form.cleaned_data["transfer_assets_to"] or None,
        )
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        add_to_form(form, error, aliases={"reassign_to": "reassign_tickets_to"})
        if not form.errors:
            form.add_error(None, sentence(error.message))
        closing = offboarding.closing_items_context(member, request.POST, error.errors)
        return _confirm(
            request,
            member,
            template="confirm_offboard.html",
            form=form,
            status=error.status,
            **closing,
        )
    messages.success(
        request,
        _(
            "%(email)s was offboarded: %(tickets)s ticket(s) reassigned, "
            "%(macros)s macro(s) and %(views)s saved view(s) transferred."
        )
        % {
            "email": member.email,
            "tickets": result.deactivation.tickets_reassigned,
            "macros": result.macros_transferred,
            "views": result.saved_views_transferred,
        },
    )
    return offboarding.summary_page(request, result.deactivation.member, result)
