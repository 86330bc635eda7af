"""Inviting people, resending, cancelling and accepting invitations (INV-1 … INV-6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from crewbase.core.outbox import queue_email
from crewbase.core.tokens import hash_secret, new_secret
from crewbase.org.models import Division, Team
from crewbase.people.actions import limits
from crewbase.people.emails import domain_problem, email_problem, split_emails
from crewbase.people.models import (
    Invitation,
    InvitationStatus,
    Member,
    MemberStatus,
    Person,
)
from crewbase.webhooks.events import emit

MAX_EMAILS_PER_REQUEST = 1000


@dataclass
class InviteResult:
    invited: list[Member] = field(default_factory=list)
    # (email, why) for addresses that already belong to an active member.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # Members with a pending invitation: offered a resend, not sent again silently.
    resend_offered: list[Member] = field(default_factory=list)


def resolve_role(actor: Actor, role_id) -> Role:
    try:
        return Role.objects.for_account(actor.account).get(pk=int(role_id))
    except (Role.DoesNotExist, TypeError, ValueError):
        raise ValidationFailed(
            {"role": _("no role with id %(id)s in this account") % {"id": repr(role_id)}}
        ) from None


def require_grantable(actor: Actor, role: Role, field_name: str = "role") -> None:
    missing = policy.missing_for_grant(actor, role.permissions)
    if missing:
        raise PermissionDenied(
            _(
                "You cannot grant the role '%(name)s': it includes permissions you do not hold "
                "(%(keys)s)."
            )
            % {"name": role.name, "keys": ", ".join(missing)},
            errors={
                field_name: _("includes permissions you do not hold: %(keys)s")
                % {"keys": ", ".join(missing)}
            },
        )


_UNKNOWN_IN_ACCOUNT = {
    "teams": gettext_lazy("no such teams in this account: %(ids)s"),
    "divisions": gettext_lazy("no such divisions in this account: %(ids)s"),
}


def _resolve_in_account(model, account, ids, field_name: str) -> list:
    ids = list(ids or [])
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise ValidationFailed({field_name: _("must be a list of ids")}) from None
    found = list(model.objects.filter(account=account, pk__in=wanted))
    unknown = sorted(wanted - {obj.pk for obj in found})
    if unknown:
        raise ValidationFailed(
            {field_name: _UNKNOWN_IN_ACCOUNT[field_name] % {"ids": ", ".join(map(str, unknown))}}
        )
    return found


def _issue_invitation(actor: Actor, member: Member, *, first_name="", last_name="") -> Invitation:
    token = new_secret()
    now = clock.now()
    invitation = Invitation.objects.create(
        account=member.account,
        member=member,
        email=member.email,
        token_hash=hash_secret(token),
        first_name=first_name,
        last_name=last_name,
        invited_by=actor.member,
        invited_by_display=actor.display,
        expires_at=now + timedelta(days=member.account.invite_expiry_days),
    )
    # The members list filters "expired" on the member row (people/selectors.py).
    member.invitation_expires_at = invitation.expires_at
    member.save(update_fields=["invitation_expires_at"])
    queue_email(
        account=member.account,
        to=member.email,
        template="invitation",
        context={
            "account": member.account,
            "inviter": actor.display,
            "role": member.role.name,
            "link": f"{settings.CREWBASE_BASE_URL}/invitations/{token}/",
            "expires_at": invitation.expires_at,
        },
        key=f"invitation-{invitation.pk}",
    )
    return invitation


def _member_snapshot(member: Member) -> dict:
    return {
        "status": member.status,
        "role": member.role.name,
        "agent_access": member.agent_access,
    }


def invite_people(
    *,
    actor: Actor,
    emails: str | list[str],
    role_id,
    agent_access: bool = False,
    team_ids=(),
    division_ids=(),
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
) -> InviteResult:
    """Invite every address in `emails` with the same role and access; all or nothing."""
    policy.require(actor, "users.invite")
    addresses = split_emails(emails)
    if not addresses:
        raise ValidationFailed({"emails": _("enter at least one email address")})
    if len(addresses) > MAX_EMAILS_PER_REQUEST:
        raise ValidationFailed(
            {
                "emails": _("at most %(count)s addresses per request")
                % {"count": MAX_EMAILS_PER_REQUEST}
            }
        )
    if len(addresses) > 1 and (first_name or last_name or phone):
        raise ValidationFailed(
            {"emails": _("a name or phone can only be given when inviting one person")}
        )
    role = resolve_role(actor, role_id)
    require_grantable(actor, role)

    with transaction.atomic():
        account = limits.lock_account(actor.account)
        teams = _resolve_in_account(Team, account, team_ids, "teams")
        divisions = _resolve_in_account(Division, account, division_ids, "divisions")

        problems: dict[str, str] = {}
        for email in addresses:
            reason = email_problem(email) or domain_problem(email, account)
            if reason:
                problems[email] = reason
        if problems:
            raise ValidationFailed(
                problems,
                message=_("Nothing was sent. Fix these addresses: %(problems)s")
                % {"problems": "; ".join(f"{e}: {r}" for e, r in problems.items())},
            )

        existing = {
            m.email: m
            for m in Member.objects.filter(account=account, email__in=addresses).select_related(
                "role", "person"
            )
        }
        result = InviteResult()
        to_invite: list[str] = []
        for email in addresses:
            member = existing.get(email)
            if member is None or member.status == MemberStatus.DEACTIVATED:
                to_invite.append(email)
            elif member.status == MemberStatus.ACTIVE:
                result.skipped.append((email, _("already an active member")))
            else:
                result.resend_offered.append(member)

        limits.require_user_slot(account, len(to_invite))
        if agent_access and to_invite and limits.agent_seats_left(account) < len(to_invite):
            message = (
                _("%(reason)s; %(count)s would be needed")
                % {"reason": limits.no_seat_message(account), "count": len(to_invite)}
                if limits.agent_seats_left(account)
                else limits.no_seat_message(account)
            )
            raise Conflict(message, errors={"agent_access": message})

        now = clock.now()
        for email in to_invite:
            member = existing.get(email)
            before = _member_snapshot(member) if member else None
            if member is None:
                person = Person.objects.filter(email=email).first() or Person.objects.create_user(
                    email=email, first_name=first_name, last_name=last_name
                )
                member = Member(account=account, person=person, email=email)
                member.first_name = first_name or person.first_name
                member.last_name = last_name or person.last_name
            member.role = role
            member.status = MemberStatus.INVITED
            member.agent_access = agent_access
            member.invited_at = now
            member.deactivated_at = None
            member.deactivation_reason = ""
            if phone:
                member.phone = phone
            member.access_version += 1
            member.refresh_display_name()
            member.save()
            if teams:
                member.teams.add(*teams)
            if divisions:
                member.divisions.add(*divisions)
            _issue_invitation(actor, member, first_name=first_name, last_name=last_name)
            record(
                actor,
                "member.invited",
                member,
                before=before,
                after=_member_snapshot(member)
                | {"teams": [t.name for t in teams], "divisions": [d.name for d in divisions]},
            )
            emit(
                actor,
                "member.invited",
                {"member_id": member.pk, "email": member.email, "role": member.role.name},
            )
            result.invited.append(member)
        return result


def _pending_invitation(member: Member) -> Invitation | None:
    return (
        Invitation.objects.filter(member=member, status=InvitationStatus.PENDING)
        .order_by("-created_at")
        .first()
    )


def resend_invitation(*, actor: Actor, member: Member) -> Invitation:
    """A fresh token and expiry; the old link stops working and says it was replaced (INV-4)."""
    policy.require(actor, "users.invite", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        if member.status != MemberStatus.INVITED:
            raise Conflict(
                _("%(email)s is %(status)s, not invited; there is no invitation to resend.")
                % {"email": member.email, "status": member.get_status_display().lower()}
            )
        Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).update(
            status=InvitationStatus.REPLACED, responded_at=clock.now()
        )
        invitation = _issue_invitation(actor, member)
        record(
            actor, "member.invitation_resent", member, after={"expires_at": invitation.expires_at}
        )
        return invitation


def cancel_invitation(*, actor: Actor, member: Member) -> Member:
    """Cancel a pending invitation; the member row goes, its history stays (INV-4, LIFE-4)."""
    policy.require(actor, "users.invite", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        if member.status != MemberStatus.INVITED:
            raise Conflict(
                _("%(email)s has no pending invitation to cancel.") % {"email": member.email}
            )
        _cancel_pending(member)
        record(actor, "member.invitation_cancelled", member)
        if member.joined_at is None:
            member.delete()
        else:
            # Someone re-invited after deactivation: cancelling returns them to deactivated.
            member.status = MemberStatus.DEACTIVATED
            member.deactivated_at = clock.now()
            member.access_version += 1
            member.save()
        return member


def _cancel_pending(member: Member) -> None:
    Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.CANCELLED, responded_at=clock.now()
    )


INVITATION_REFUSALS = {
    InvitationStatus.ACCEPTED: gettext_lazy(
        "This invitation has already been used. "
        "Sign in, or ask an admin of the account to invite you again."
    ),
    InvitationStatus.CANCELLED: gettext_lazy(
        "This invitation was cancelled. Ask an admin of the account to invite you again."
    ),
    InvitationStatus.REPLACED: gettext_lazy(
        "This invitation link was replaced by a newer one. "
        "Use the link in the most recent invitation email, or ask an admin to resend it."
    ),
}
# A code for programs, like the invitation statuses given on `token` above: not translated.
EXPIRED_CODE = "expired"
EXPIRED_MESSAGE = gettext_lazy(
    "This invitation has expired. Ask an admin of the account to send a new one."
)
UNKNOWN_MESSAGE = gettext_lazy(
    "This invitation link is not valid. Ask an admin of the account to invite you."
)


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, or a NotFound/Conflict that says plainly why not (INV-5)."""
    if not token or len(token) > 200:
        raise NotFound(UNKNOWN_MESSAGE)
    invitation = (
        Invitation.objects.select_related("account", "member", "member__role", "member__person")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if invitation is None:
        raise NotFound(UNKNOWN_MESSAGE)
    # Checked before the member: cancelling or deleting an invitation removes the member row,
    # and the link must still say it was cancelled (INV-5).
    if invitation.status in INVITATION_REFUSALS:
        raise Conflict(INVITATION_REFUSALS[invitation.status], errors={"token": invitation.status})
    if invitation.member is None:
        raise NotFound(UNKNOWN_MESSAGE)
    if invitation.is_expired:
        raise Conflict(EXPIRED_MESSAGE, errors={"token": EXPIRED_CODE})
    return invitation


def _refuse_password_if_sso_enforced(invitation) -> None:
    # Enforced SSO (SSO-2): a new person joins by signing in through the identity provider,
    # which accepts the invitation (identity/sso/provisioning.py); no password is set here.
    from crewbase.identity.sso.enforcement import account_enforces

    if account_enforces(invitation.account_id):
        link = f"{settings.CREWBASE_BASE_URL}/sso/{invitation.account_id}/"
        raise PermissionDenied(
            _(
                "%(account)s signs people in with single sign-on: accept this "
                "invitation by signing in at %(link)s"
            )
            % {"account": invitation.account.name, "link": link},
            errors={"password": _("this account uses single sign-on; no password is set")},
        )


def accept_invitation(
    *,
    token: str,
    signed_in_person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> Member:
    """Turn a pending invitation into an active member (INV-5).

    A new person chooses a name and password here; a person who already has credentials
    must be signed in as that person.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        # Account, member, then invitation: the order resend, cancel and delete lock in, so a
        # concurrent one makes this wait rather than deadlock.
        limits.lock_account(invitation.account)
        try:
            member = limits.lock_member(invitation.member)
        except NotFound:
            member = None  # cancelled meanwhile: the re-check below says so
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        # Re-check under the locks: a concurrent accept, resend or cancel may have won.
        invitation = find_invitation(token)
        if member is None:
            raise NotFound(UNKNOWN_MESSAGE)
        person = member.person
        if person.is_registered:
            if signed_in_person is None or signed_in_person.pk != person.pk:
                raise PermissionDenied(
                    _("Sign in as %(email)s to accept this invitation.") % {"email": person.email},
                    errors={"email": _("sign in as this person first")},
                )
        else:
            _refuse_password_if_sso_enforced(invitation)
            first_name, last_name = first_name.strip(), last_name.strip()
            errors = {}
            if not first_name:
                errors["first_name"] = _("enter your first name")
            if not last_name:
                errors["last_name"] = _("enter your last name")
            person.first_name, person.last_name = first_name, last_name
            try:
                validate_password(password or "", user=person)
            except ValidationError as exc:
                errors["password"] = " ".join(exc.messages)
            if errors:
                raise ValidationFailed(errors)
            person.set_password(password)
            person.is_registered = True
            person.save()
            member.first_name, member.last_name = first_name, last_name
        now = clock.now()
        member.status = MemberStatus.ACTIVE
        member.joined_at = member.joined_at or now
        member.deactivated_at = None
        member.access_version += 1
        member.refresh_display_name()
        member.save()
        invitation.status = InvitationStatus.ACCEPTED
        invitation.responded_at = now
        invitation.save(update_fields=["status", "responded_at"])
        actor = Actor.for_member(member, ip_address=ip_address, user_agent=user_agent)
        record(actor, "member.joined", member, after={"role": member.role.name})
        emit(
            actor,
            "member.joined",
            {"member_id": member.pk, "email": member.email, "role": member.role.name},
        )
        return member
