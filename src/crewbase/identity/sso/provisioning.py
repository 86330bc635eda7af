"""Who an SSO sign-in lets in, by the connection's provisioning mode (SSO-3), and the group
mapping applied at each sign-in (SSO-5). The actor is "SSO" in every event written here.

Creating a member just in time follows the rules of invite_people (people/actions): the
account row is locked, the user limit, agent seats and allowed domains are checked under it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict
from crewbase.identity.sso.models import Provisioning, SsoConnection
from crewbase.org.actions import add_team_members, remove_team_members
from crewbase.org.models import Team
from crewbase.people.actions import limits
from crewbase.people.actions.changes import change_role
from crewbase.people.emails import domain_problem
from crewbase.people.models import (
    Invitation,
    InvitationStatus,
    Member,
    MemberStatus,
    Person,
)
from crewbase.webhooks.events import emit


class SignInRefused(Exception):
    """A plain reason shown to the person and recorded for the admins."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _joined(actor: Actor, member: Member, action: str) -> None:
    record(actor, action, member, after={"role": member.role.name})
    emit(
        actor,
        "member.joined",
        {"member_id": member.pk, "email": member.email, "role": member.role.name},
    )


def _register(person: Person, first_name: str, last_name: str) -> None:
    # Signing in through the IdP is the person's credential: registered, no password needed.
    changed = not person.is_registered
    person.is_registered = True
    if not person.first_name and first_name:
        person.first_name, person.last_name, changed = first_name, last_name, True
    if changed:
        person.save()


def _accept_invitation(actor: Actor, member: Member, first_name: str, last_name: str) -> None:
    now = clock.now()
    _register(member.person, first_name, last_name)
    member.status = MemberStatus.ACTIVE
    member.joined_at = member.joined_at or now
    member.access_version += 1
    if not member.first_name and first_name:
        member.first_name, member.last_name = first_name, last_name
    member.refresh_display_name()
    member.save()
    Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.ACCEPTED, responded_at=now
    )
    _joined(actor, member, "sso.invitation_accepted")


def _create_just_in_time(
    actor: Actor, connection: SsoConnection, email: str, first_name: str, last_name: str
) -> Member:
    account = connection.account
    if problem := domain_problem(email, account):
        refusal = gettext("%(email)s cannot join this account: %(problem)s.")
        raise SignInRefused("domain_not_allowed", refusal % {"email": email, "problem": problem})
    if connection.default_role is None:
        raise SignInRefused(
            "no_default_role", gettext("This SSO connection has no default role yet.")
        )
    try:
        limits.require_user_slot(account)
        if connection.jit_agent_access:
            limits.require_agent_seat(account)
    except Conflict as exc:
        refusal = gettext("No place for a new member: %(reason)s.") % {"reason": exc.message}
        raise SignInRefused("plan_limit", refusal) from None
    person = Person.objects.filter(email=email).first() or Person.objects.create_user(
        email=email, first_name=first_name, last_name=last_name
    )
    _register(person, first_name, last_name)
    now = clock.now()
    member = Member(
        account=account,
        person=person,
        email=email,
        role=connection.default_role,
        status=MemberStatus.ACTIVE,
        agent_access=connection.jit_agent_access,
        first_name=first_name or person.first_name,
        last_name=last_name or person.last_name,
        joined_at=now,
    )
    member.refresh_display_name()
    member.save()
    _joined(actor, member, "sso.member_provisioned")
    return member


def admit(
    *, actor: Actor, connection: SsoConnection, email: str, first_name="", last_name=""
) -> Member:
    """The active member this sign-in is for, created or activated as the mode allows."""
    limits.lock_account(connection.account)
    member = (
        Member.objects.select_related("account", "role", "person")
        .filter(account=connection.account, email=email)
        .first()
    )
    if member is not None:
        member = limits.lock_member(member)
    if member is not None and member.status == MemberStatus.ACTIVE:
        return member
    if member is not None and member.status == MemberStatus.DEACTIVATED:
        raise SignInRefused(
            "deactivated",
            gettext("Your access to this account was removed. Ask an admin of the account."),
        )
    if connection.provisioning == Provisioning.SCIM:
        raise SignInRefused(
            "not_provisioned",
            gettext(
                "Your identity provider has not given you access to this account yet. "
                "Ask your IT administrator."
            ),
        )
    if member is not None:  # invited: signing in through SSO accepts (INV-5)
        _accept_invitation(actor, member, first_name, last_name)
        return member
    if connection.provisioning == Provisioning.PRE:
        raise SignInRefused(
            "not_provisioned",
            gettext(
                "You are not a member of this account. Ask an admin of the account to invite you."
            ),
        )
    return _create_just_in_time(actor, connection, email, first_name, last_name)


def apply_group_mapping(
    *, actor: Actor, connection: SsoConnection, member: Member, groups: list[str]
) -> None:
    """Role and teams from the IdP's groups: the first matching rule with a role decides the
    role (no match: the default role); mapped teams follow the groups, other teams stay."""
    rules = connection.group_mapping or []
    if not rules:
        return
    matching = [rule for rule in rules if rule["group"] in set(groups)]
    if any(rule.get("role_id") for rule in rules) and not member.is_owner:
        role_id = next((r["role_id"] for r in matching if r.get("role_id")), None)
        role_id = role_id or connection.default_role_id
        if role_id and role_id != member.role_id:
            change_role(actor=actor, member=member, role_id=role_id)
    mapped = {t for rule in rules for t in rule.get("team_ids", [])}
    wanted = {t for rule in matching for t in rule.get("team_ids", [])}
    current = set(member.teams.filter(pk__in=mapped).values_list("pk", flat=True))
    for team in Team.objects.filter(account=connection.account, pk__in=mapped):
        if team.pk in wanted and team.pk not in current:
            add_team_members(actor=actor, team=team, member_ids=[member.pk])
        elif team.pk not in wanted and team.pk in current:
            remove_team_members(actor=actor, team=team, member_ids=[member.pk])


def sign_in(
    *, actor: Actor, connection: SsoConnection, email: str, first_name="", last_name="", groups=()
) -> Member:
    with transaction.atomic():
        member = admit(
            actor=actor,
            connection=connection,
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        apply_group_mapping(actor=actor, connection=connection, member=member, groups=list(groups))
        record(actor, "sso.signed_in", member, after={"connection": connection.name})
        return member


def record_refusal(actor: Actor, connection: SsoConnection, email: str, reason: str) -> None:
    with transaction.atomic():
        member = Member.objects.filter(account=connection.account, email=email).first()
        record(
            actor,
            "sso.sign_in_refused",
            member or connection,
            after={"email": email, "reason": reason, "connection": connection.name},
        )
