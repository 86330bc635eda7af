"""/account: plan and seats, ownership, billing contact, cancellation (ROLE-5, ROLE-6, PLAN-*)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from crewbase.access import policy
from crewbase.accounts import actions
from crewbase.accounts.models import Account
from crewbase.api.schemas import Error, Id, Input, MemberOut, MemberRef
from crewbase.core.errors import PermissionDenied
from crewbase.people.actions import limits
from crewbase.people.models import Member

router = Router(tags=["account"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


class AccountOut(Schema):
    id: int
    name: str
    plan: str
    user_limit: int | None
    users_used: int
    agent_seats_used: int
    agent_seats_total: int
    owner: MemberRef | None
    billing_contact: MemberRef | None
    cancel_at: datetime | None


def _account_body(account) -> dict:
    flagged = list(
        Member.objects.filter(account=account).filter(Q(is_owner=True) | Q(is_billing_contact=True))
    )
    owner = next((m for m in flagged if m.is_owner), None)
    contact = next((m for m in flagged if m.is_billing_contact), None)
    return {
        "id": account.pk,
        "name": account.name,
        "plan": account.plan,
        "user_limit": account.user_limit,
        "users_used": limits.users_counted(account),
        "agent_seats_used": limits.agent_seats_used(account),
        "agent_seats_total": account.agent_seat_total,
        "owner": owner,
        "billing_contact": contact,
        "cancel_at": account.cancel_at,
    }


# Owner-only actions, by the phrase callers pass, each refused in a whole sentence.
_SESSION_ONLY = {
    "transfer ownership": gettext_lazy("Sign in to transfer ownership; API tokens cannot do this."),
    "cancel the account": gettext_lazy("Sign in to cancel the account; API tokens cannot do this."),
    "undo the cancellation": gettext_lazy(
        "Sign in to undo the cancellation; API tokens cannot do this."
    ),
}


def _require_session(actor, what: str) -> None:
    # Owner-only actions have no permission key a token scope could narrow, so a token
    # (possibly leaked, possibly narrow) never performs them.
    if actor.kind == "api_token":
        raise PermissionDenied(_SESSION_ONLY[what])


@router.get("/account", response={200: AccountOut, **ERRORS})
def get_account(request):
    account = Account.objects.get(pk=request.auth.account.pk)
    return _account_body(account)


class NewOwner(Input):
    new_owner_id: Id


@router.post("/account/transfer-ownership", response={200: MemberOut, **ERRORS})
def transfer_ownership(request, payload: NewOwner):
    _require_session(request.auth, "transfer ownership")
    return actions.transfer_ownership(actor=request.auth, new_owner_id=payload.new_owner_id)


class NewBillingContact(Input):
    new_contact_id: Id


@router.post("/account/billing-contact", response={200: MemberOut, **ERRORS})
def transfer_billing_contact(request, payload: NewBillingContact):
    if request.auth.kind == "api_token":
        # The owner flag bypasses billing.manage in the action; a token still needs the scope.
        policy.require(request.auth, "billing.manage")
    return actions.transfer_billing_contact(
        actor=request.auth, new_contact_id=payload.new_contact_id
    )


@router.post("/account/cancel", response={200: AccountOut, **ERRORS})
def cancel(request):
    _require_session(request.auth, "cancel the account")
    return _account_body(actions.cancel_account(actor=request.auth))


@router.post("/account/undo-cancel", response={200: AccountOut, **ERRORS})
def undo_cancel(request):
    _require_session(request.auth, "undo the cancellation")
    return _account_body(actions.undo_cancel_account(actor=request.auth))
