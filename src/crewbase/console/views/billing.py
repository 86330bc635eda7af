"""Billing and seats (PLAN-1, PLAN-2, PLAN-4, ROLE-5, ROLE-6).

The page shows the plan, users and agent seats used, the owner and the billing contact.
Transfers and cancellation are POST forms; ownership transfer and cancellation go through a
confirmation step first. Who may do what is decided by the account actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from crewbase.access import policy
from crewbase.accounts.actions import (
    cancel_account,
    transfer_billing_contact,
    transfer_ownership,
    undo_cancel_account,
)
from crewbase.console.errors import sentence
from crewbase.console.views.guards import console_page
from crewbase.core.errors import DomainError, NotFound
from crewbase.people.actions import limits
from crewbase.people.models import Member, MemberStatus, normalize_email

# Each change the page offers, with what it says once done.
CHANGES = {
    "ownership": gettext_lazy("Ownership transferred."),
    "billing-contact": gettext_lazy("Billing contact changed."),
    "cancel": gettext_lazy("The account is scheduled to end."),
    "undo-cancel": gettext_lazy("The cancellation is undone; the account continues."),
}
CONFIRMED = {"ownership", "cancel"}
MEMBER_SELECT_LIMIT = 300


def _active_members(account):
    return (
        Member.objects.in_account(account)
        .filter(status=MemberStatus.ACTIVE)
        .order_by("display_name", "id")
        .only("id", "display_name", "email", "is_owner", "is_billing_contact")
    )


def _context(request, errors=None) -> dict:
    account = request.actor.account
    account.refresh_from_db()
    member = request.member
    in_account = Member.objects.in_account(account)
    members = list(_active_members(account)[: MEMBER_SELECT_LIMIT + 1])
    return {
        "account": account,
        "users_used": limits.users_counted(account),
        "seats_used": limits.agent_seats_used(account),
        "owner": in_account.filter(is_owner=True).first(),
        "billing_contact": in_account.filter(is_billing_contact=True).first(),
        # Too many to list: the forms take an email address instead.
        "members": None if len(members) > MEMBER_SELECT_LIMIT else members,
        "is_owner": bool(member.is_owner),
        "can_change_contact": member.is_owner or policy.can(request.actor, "billing.manage"),
        "errors": errors or {},
    }


@require_safe
@console_page("billing.manage")
def billing(request):
    return render(request, "console/billing/page.html", _context(request))


def _chosen_member(request, field: str):
    """A member id from the select, or from an email typed in a large account."""
    raw = request.POST.get(field, "").strip()
    if "@" in raw:
        return (
            Member.objects.in_account(request.actor.account)
            .filter(email=normalize_email(raw))
            .values_list("pk", flat=True)
            .first()
        )
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _run(request, what: str):
    actor = request.actor
    if what == "ownership":
        return transfer_ownership(actor=actor, new_owner_id=_chosen_member(request, "new_owner"))
    if what == "billing-contact":
        return transfer_billing_contact(
            actor=actor, new_contact_id=_chosen_member(request, "new_contact")
        )
    if what == "cancel":
        return cancel_account(actor=actor)
    return undo_cancel_account(actor=actor)


@require_POST
@console_page("billing.manage")
def billing_change(request, what: str):
    if what not in CHANGES:
        raise NotFound(_("No such billing change."))
    if what in CONFIRMED and request.POST.get("confirmed") != "yes":
        return _confirm(request, what)
    try:
        _run(request, what)
    except DomainError as error:
        errors = {name: sentence(reason) for name, reason in error.errors.items()}
        errors.setdefault("page", sentence(error.message))
        status = error.status
        return render(
            request, "console/billing/page.html", _context(request, errors), status=status
        )
    messages.success(request, CHANGES[what])
    # The former owner may have lost billing.manage with the transfer: go where they may go.
    if what == "ownership" and not policy.can(_fresh_actor(request), "billing.manage"):
        return redirect("home")
    return redirect("billing")


def _fresh_actor(request):
    from crewbase.core.actor import Actor

    member = Member.objects.select_related("role", "account", "person").get(pk=request.member.pk)
    return Actor.for_member(member)


def _confirm(request, what: str):
    context = {"what": what, "account": request.actor.account}
    if what == "ownership":
        member_id = _chosen_member(request, "new_owner")
        new_owner = (
            _active_members(request.actor.account).filter(pk=member_id).first()
            if member_id is not None
            else None
        )
        if new_owner is None or new_owner.is_owner:
            errors = {"new_owner": _("Choose an active member other than the current owner.")}
            return render(
                request, "console/billing/page.html", _context(request, errors), status=422
            )
        context["new_owner"] = new_owner
    return render(request, "console/billing/confirm.html", context)
