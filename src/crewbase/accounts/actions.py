"""Account actions: creation, ownership, billing contact, cancellation (ROLE-5, ROLE-6, PLAN-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.accounts.models import Account, Plan
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, PermissionDenied, ValidationFailed
from crewbase.core.outbox import queue_email
from crewbase.people.actions import limits
from crewbase.people.emails import email_problem
from crewbase.people.models import Member, MemberStatus, Person, normalize_email
from crewbase.webhooks.events import emit

CANCELLATION_NOTICE_DAYS = 30


@dataclass
class NewAccount:
    account: Account
    owner: Member


def create_account(
    *,
    name: str,
    owner_email: str,
    owner_first_name: str = "",
    owner_last_name: str = "",
    plan: str = Plan.TEAM,
    user_limit: int | None = None,
    paid_agent_seats: int = 0,
) -> NewAccount:
    """A new tenant with its owner, who is also its first billing contact."""
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("enter an account name of 1 to 200 characters")
    email = normalize_email(owner_email or "")
    problem = email_problem(email)
    if problem:
        errors["owner_email"] = problem
    if plan not in Plan.values:
        errors["plan"] = _("must be one of: %(choices)s") % {"choices": ", ".join(Plan.values)}
    if user_limit is not None and user_limit < 1:
        errors["user_limit"] = _("must be at least 1, or empty for unlimited")
    if paid_agent_seats < 0:
        errors["paid_agent_seats"] = _("cannot be negative")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        account = Account.objects.create(
            name=name, plan=plan, user_limit=user_limit, paid_agent_seats=paid_agent_seats
        )
        person = Person.objects.filter(email=email).first() or Person.objects.create_user(
            email=email, first_name=owner_first_name, last_name=owner_last_name
        )
        now = clock.now()
        owner = Member(
            account=account,
            person=person,
            role=Role.objects.get(account__isnull=True, builtin_key="admin"),
            status=MemberStatus.ACTIVE,
            email=email,
            first_name=owner_first_name or person.first_name,
            last_name=owner_last_name or person.last_name,
            is_owner=True,
            is_billing_contact=True,
            agent_access=True,
            joined_at=now,
            invited_at=now,
        )
        owner.refresh_display_name()
        owner.save()
        record(
            Actor.system(account, reason="account created"),
            "account.created",
            account,
            after={"name": name, "plan": plan, "owner": email},
        )
        return NewAccount(account, owner)


def _active_member(account: Account, member_id, field_name: str) -> Member:
    member = (
        Member.objects.select_for_update()
        .filter(account=account, pk=getattr(member_id, "pk", member_id))
        .first()
    )
    if member is None or member.status != MemberStatus.ACTIVE:
        raise ValidationFailed({field_name: _("must be an active member of this account")})
    return member


def _require_still_owner(actor: Actor, account: Account, what: str) -> None:
    """Asked again under the account lock: a transfer that committed while this call waited
    for the lock has made the actor a former owner, whatever its snapshot says (ROLE-5)."""
    if actor.kind == "system":
        return
    still_owner = Member.objects.filter(
        pk=actor.member.pk, account=account, is_owner=True, status=MemberStatus.ACTIVE
    ).exists()
    if not still_owner:
        raise PermissionDenied(str(policy.OWNER_ONLY[what]))


def transfer_ownership(*, actor: Actor, new_owner_id) -> Member:
    """Only the owner hands ownership on; the new owner gets Admin (ROLE-5)."""
    policy.require_owner(actor, "transfer ownership")
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        _require_still_owner(actor, account, "transfer ownership")
        new_owner = _active_member(account, new_owner_id, "new_owner")
        old_owner = Member.objects.select_for_update().get(account=account, is_owner=True)
        if new_owner.pk == old_owner.pk:
            return old_owner
        old_owner.is_owner = False
        old_owner.access_version += 1
        old_owner.save(update_fields=["is_owner", "access_version", "updated_at"])
        new_owner.is_owner = True
        new_owner.role = Role.objects.get(account__isnull=True, builtin_key="admin")
        new_owner.access_version += 1
        new_owner.save(update_fields=["is_owner", "role", "access_version", "updated_at"])
        record(
            actor,
            "account.ownership_transferred",
            account,
            before={"owner": old_owner.email},
            after={"owner": new_owner.email},
        )
        emit(
            actor,
            "account.ownership_transferred",
            {
                "previous_owner": {"member_id": old_owner.pk, "email": old_owner.email},
                "new_owner": {"member_id": new_owner.pk, "email": new_owner.email},
            },
        )
        for member in (old_owner, new_owner):
            queue_email(
                account=account,
                to=member.email,
                template="ownership_transferred",
                context={"account": account, "old_owner": old_owner, "new_owner": new_owner},
            )
        return new_owner


def transfer_billing_contact(*, actor: Actor, new_contact_id) -> Member:
    """The owner or an admin (billing.manage) names the one billing contact (ROLE-6)."""
    if not (actor.member is not None and actor.member.is_owner):
        policy.require(actor, "billing.manage")
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        new_contact = _active_member(account, new_contact_id, "new_contact")
        old = Member.objects.select_for_update().filter(account=account, is_billing_contact=True)
        old_emails = [m.email for m in old]
        if old_emails == [new_contact.email]:
            return new_contact
        old.update(is_billing_contact=False)
        new_contact.is_billing_contact = True
        new_contact.save(update_fields=["is_billing_contact", "updated_at"])
        record(
            actor,
            "account.billing_contact_changed",
            account,
            before={"billing_contact": old_emails[0] if old_emails else None},
            after={"billing_contact": new_contact.email},
        )
        queue_email(
            account=account,
            to=new_contact.email,
            template="billing_contact",
            context={"account": account, "member": new_contact},
        )
        return new_contact


def cancel_account(*, actor: Actor) -> Account:
    """Schedule the account's end; the owner can undo until then (PLAN-4)."""
    policy.require_owner(actor, "cancel the account")
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        _require_still_owner(actor, account, "cancel the account")
        if account.cancel_at is not None:
            raise Conflict(
                _("The account is already scheduled to end on %(date)s.")
                % {"date": f"{account.cancel_at:%Y-%m-%d}"}
            )
        account.cancel_at = clock.now() + timedelta(days=CANCELLATION_NOTICE_DAYS)
        account.save(update_fields=["cancel_at"])
        record(
            actor, "account.cancellation_scheduled", account, after={"cancel_at": account.cancel_at}
        )
        return account


def undo_cancel_account(*, actor: Actor) -> Account:
    policy.require_owner(actor, "undo the cancellation")
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        _require_still_owner(actor, account, "undo the cancellation")
        if account.cancel_at is None:
            raise Conflict(_("The account is not scheduled to end."))
        before = account.cancel_at
        account.cancel_at = None
        account.save(update_fields=["cancel_at"])
        record(actor, "account.cancellation_undone", account, before={"cancel_at": before})
        return account
