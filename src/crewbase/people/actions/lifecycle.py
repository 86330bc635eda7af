"""Deactivate, reactivate, delete and offboard members (LIFE-2 … LIFE-7)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewbase.access import policy
from crewbase.api.models import ApiToken
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.org.models import OPEN_TICKET_STATUSES, Macro, SavedView, Ticket
from crewbase.people.actions import limits
from crewbase.people.actions.invitations import _cancel_pending
from crewbase.people.models import DeactivationReason, Member, MemberStatus
from crewbase.people.selectors import member_named
from crewbase.people.sessions import end_sessions
from crewbase.webhooks.events import emit

# Each refusal a whole sentence, by what was about to happen to the owner.
_OWNER_REFUSALS = {
    "deactivated": (
        gettext_lazy("The owner cannot be deactivated; transfer ownership first."),
        gettext_lazy("the owner cannot be deactivated"),
    ),
    "deleted": (
        gettext_lazy("The owner cannot be deleted; transfer ownership first."),
        gettext_lazy("the owner cannot be deleted"),
    ),
}


def _refuse_owner(member: Member, what: str) -> None:
    if member.is_owner:
        message, reason = _OWNER_REFUSALS[what]
        raise Conflict(message, errors={"member": reason})


def _active_member_in_account(actor: Actor, named, field_name: str) -> Member | None:
    """The member `named` by id or email (the console asks for an email), or None if blank."""
    if named in (None, "") or (isinstance(named, str) and not named.strip()):
        return None
    member = member_named(actor.account, named.strip() if isinstance(named, str) else named)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise ValidationFailed({field_name: _("must be an active member of this account")})
    return member


@dataclass
class DeactivationResult:
    member: Member
    tickets_reassigned: int
    queues_left: list[str]
    sessions_ended: int
    tokens_revoked: int
    ticket_ids: list[int] = field(default_factory=list)


def deactivate_member(
    *,
    actor: Actor,
    member: Member,
    reassign_to=None,
    reason: str = DeactivationReason.OTHER,
) -> DeactivationResult:
    """Revoke access now; keep everything they made (LIFE-2, LIFE-7, LIFE-9)."""
    policy.require(actor, "users.manage", target=member)
    if reason not in DeactivationReason.values:
        raise ValidationFailed(
            {
                "reason": _("must be one of: %(choices)s")
                % {"choices": ", ".join(DeactivationReason.values)}
            }
        )
    with transaction.atomic():
        limits.lock_account(actor.account)
        member = limits.lock_member(member)
        _refuse_owner(member, "deactivated")
        if actor.member is not None and actor.member.pk == member.pk:
            raise Conflict(
                _("You cannot deactivate yourself."), errors={"member": _("that is you")}
            )
        if member.status == MemberStatus.DEACTIVATED:
            return DeactivationResult(member, 0, [], 0, 0)
        if member.status == MemberStatus.INVITED:
            raise Conflict(
                _("%(email)s has not joined yet; cancel the invitation instead.")
                % {"email": member.email},
                errors={"member": _("invited, not active")},
            )
        target = _active_member_in_account(actor, reassign_to, "reassign_to")
        if target is not None and target.pk == member.pk:
            raise ValidationFailed({"reassign_to": _("cannot be the member being deactivated")})

        open_tickets = Ticket.objects.filter(
            account=member.account, assignee=member, status__in=OPEN_TICKET_STATUSES
        )
        ticket_ids = list(open_tickets.values_list("pk", flat=True))
        open_tickets.update(assignee=target, updated_at=clock.now())
        queue_names = list(member.queues.values_list("name", flat=True))
        member.queues.clear()
        tokens_revoked = ApiToken.objects.filter(member=member, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )

        member.status = MemberStatus.DEACTIVATED
        member.deactivated_at = clock.now()
        member.deactivation_reason = reason
        member.access_version += 1
        member.save()
        sessions_ended = end_sessions(member.person, account_id=member.account_id)
        record(
            actor,
            "member.deactivated",
            member,
            before={"status": MemberStatus.ACTIVE, "queues": queue_names},
            after={
                "status": MemberStatus.DEACTIVATED,
                "reason": reason,
                "tickets_reassigned_to": target.email if target else None,
                "ticket_ids": ticket_ids,
                "sessions_ended": sessions_ended,
                "api_tokens_revoked": tokens_revoked,
            },
        )
        emit(
            actor,
            "member.deactivated",
            {
                "member_id": member.pk,
                "email": member.email,
                "reason": reason,
                "ticket_ids": ticket_ids,
                "tickets_reassigned_to": {"member_id": target.pk, "email": target.email}
                if target
                else None,
            },
        )
        return DeactivationResult(
            member, len(ticket_ids), queue_names, sessions_ended, tokens_revoked, ticket_ids
        )


@dataclass
class ReactivationResult:
    member: Member
    agent_access_dropped: bool
    # Queues are never restored (LIFE-3); interfaces say so.
    queues_restored: bool = False


def reactivate_member(*, actor: Actor, member: Member) -> ReactivationResult:
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        member = limits.lock_member(member)
        if member.status == MemberStatus.ACTIVE:
            return ReactivationResult(member, agent_access_dropped=False)
        if member.status != MemberStatus.DEACTIVATED:
            raise Conflict(
                _("%(email)s has not joined yet; there is nothing to reactivate.")
                % {"email": member.email},
                errors={"member": _("invited, not deactivated")},
            )
        limits.require_user_slot(account)
        dropped = member.agent_access and limits.agent_seats_left(account) < 1
        if dropped:
            member.agent_access = False
        member.status = MemberStatus.ACTIVE
        member.deactivated_at = None
        member.deactivation_reason = ""
        member.access_version += 1
        member.save()
        record(
            actor,
            "member.reactivated",
            member,
            before={"status": MemberStatus.DEACTIVATED},
            after={"status": MemberStatus.ACTIVE, "agent_access_dropped": dropped},
        )
        emit(actor, "member.reactivated", {"member_id": member.pk, "email": member.email})
        return ReactivationResult(member, agent_access_dropped=dropped)


def delete_member(*, actor: Actor, member: Member) -> None:
    """Only a deactivated member or a pending invitation; history stays (LIFE-4)."""
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        _refuse_owner(member, "deleted")
        if member.status == MemberStatus.ACTIVE:
            raise Conflict(
                _("Deactivate %(email)s before deleting them permanently.")
                % {"email": member.email},
                errors={"member": _("still active")},
            )
        if member.status == MemberStatus.INVITED:
            _cancel_pending(member)
        record(
            actor,
            "member.deleted",
            member,
            before={"status": member.status, "role": member.role.name, "email": member.email},
        )
        emit(actor, "member.deleted", {"member_id": member.pk, "email": member.email})
        member.delete()


@dataclass
class OffboardResult:
    deactivation: DeactivationResult
    macros_transferred: int
    saved_views_transferred: int
    assets_to: Member | None
    macro_ids: list[int] = field(default_factory=list)
    saved_view_ids: list[int] = field(default_factory=list)


def offboard_member(
    *,
    actor: Actor,
    member: Member,
    reassign_tickets_to=None,
    transfer_assets_to=None,
    reason: str = DeactivationReason.LEFT_COMPANY,
) -> OffboardResult:
    """Reassign tickets, hand over macros and saved views, deactivate: one step (LIFE-6)."""
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        # Account first, then member: the order every other action locks in, so two admins
        # offboarding and deactivating at once queue instead of deadlocking.
        limits.lock_account(actor.account)
        locked = limits.lock_member(member)
        if locked.status != MemberStatus.ACTIVE:
            if locked.status == MemberStatus.DEACTIVATED:
                raise Conflict(_("%(email)s is already deactivated.") % {"email": locked.email})
            raise Conflict(
                _("%(email)s has not joined yet; cancel the invitation instead.")
                % {"email": locked.email},
                errors={"member": _("invited, not active")},
            )
        heir = _active_member_in_account(actor, transfer_assets_to, "transfer_assets_to")
        if heir is not None and heir.pk == locked.pk:
            raise ValidationFailed({"transfer_assets_to": _("cannot be the member leaving")})
        # The account's closing items must each be ticked or skipped first (LIFE-8).
        from crewbase.governance.checklists import require_closing_items_resolved

        require_closing_items_resolved(locked)
        macros = Macro.objects.filter(account=locked.account, owner=locked)
        views = SavedView.objects.filter(account=locked.account, owner=locked)
        macro_ids = list(macros.values_list("pk", flat=True))
        view_ids = list(views.values_list("pk", flat=True))
        if heir is not None:
            macros.update(owner=heir)
            views.update(owner=heir)
        deactivation = deactivate_member(
            actor=actor, member=locked, reassign_to=reassign_tickets_to, reason=reason
        )
        record(
            actor,
            "member.offboarded",
            locked,
            after={
                "tickets_reassigned": deactivation.tickets_reassigned,
                "macros_transferred_to": heir.email if heir else None,
                "macro_ids": macro_ids,
                "saved_view_ids": view_ids,
            },
        )
        return OffboardResult(
            deactivation,
            len(macro_ids) if heir else 0,
            len(view_ids) if heir else 0,
            heir,
            macro_ids,
            view_ids,
        )
