"""Invite people /members/invite/ (INV-1, INV-2, INV-6).

All or nothing: on any refusal nothing is sent, each bad address is listed with its reason and
the form keeps what was typed. After sending, the page lists who was invited, who was skipped
and why, and pending invitations with a resend button.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crewbase.access.models import Role
from crewbase.console.errors import add_to_form, sentence
from crewbase.console.forms import InviteForm
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, NotFound
from crewbase.people.actions import limits
from crewbase.people.actions.invitations import invite_people


def _render(request, form, *, bad_emails=None, result=None, status=200):
    account = request.actor.account
    context = {
        "form": form,
        "bad_emails": bad_emails or {},
        "result": result,
        "seats_used": limits.agent_seats_used(account),
        "seats_total": account.agent_seat_total,
        "users_counted": limits.users_counted(account),
        "user_limit": account.user_limit,
    }
    return render(request, "console/members/invite.html", context, status=status)


@console_page("users.invite")
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request):
    account = request.actor.account
    if request.method != "POST":
        # Agent is the usual role for someone new; the admin can pick another.
        form = InviteForm(account=account, initial={"role": _agent_role_id(account)})
        return _render(request, form)
    form = InviteForm(request.POST, account=account)
    form.is_valid()  # for cleaned values only: invite_people decides what is valid
    data = form.cleaned_data
    try:
        result = invite_people(
            actor=request.actor,
            emails=request.POST.get("emails", ""),
            role_id=request.POST.get("role", ""),
            agent_access=bool(data.get("agent_access")),
            team_ids=request.POST.getlist("teams"),
            division_ids=request.POST.getlist("divisions"),
            first_name=request.POST.get("first_name", "").strip(),
            last_name=request.POST.get("last_name", "").strip(),
            phone=request.POST.get("phone", "").strip(),
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        # Reasons keyed by a field go on that field; the rest are keyed by email address.
        bad = add_to_form(form, error, aliases={"user_limit": "emails"})
        bad_emails = {email: sentence(reason) for email, reason in bad.items()}
        if bad_emails:
            form.add_error(None, _("Nothing was sent. Fix the addresses listed below."))
        return _render(request, form, bad_emails=bad_emails, status=error.status)
    fresh = InviteForm(account=account, initial={"role": request.POST.get("role", "")})
    return _render(request, fresh, result=result)


def _agent_role_id(account) -> str:
    agent = Role.objects.for_account(account).filter(builtin_key="agent").first()
    return str(agent.pk) if agent else ""
