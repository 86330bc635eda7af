""" "Why can this member do X" (§14): the answer of access.policy.explain, the code that enforces.

The question may name a permission key (tickets.delete) or an action people say ("delete
tickets"); the answer names the role, the permission and the scope that applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from crewbase.access import policy
from crewbase.access.permissions import PERMISSION_LABELS, Perm
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Member

# Things people ask about, in their words, and the permission that decides each (the console
# shows them translated; the phrase typed or sent stays the English key).
ACTIONS: dict[str, str] = {
    gettext_noop("see members"): Perm.USERS_VIEW,
    gettext_noop("invite people"): Perm.USERS_INVITE,
    gettext_noop("deactivate members"): Perm.USERS_MANAGE,
    gettext_noop("change roles of members"): Perm.USERS_MANAGE,
    gettext_noop("edit roles"): Perm.ROLES_MANAGE,
    gettext_noop("manage teams and queues"): Perm.TEAMS_MANAGE,
    gettext_noop("view all tickets"): Perm.TICKETS_VIEW_ALL,
    gettext_noop("delete tickets"): Perm.TICKETS_DELETE,
    gettext_noop("export data"): Perm.DATA_EXPORT,
    gettext_noop("manage macros"): Perm.MACROS_MANAGE,
    gettext_noop("view analytics"): Perm.ANALYTICS_VIEW,
    gettext_noop("send broadcasts"): Perm.BROADCAST_SEND,
    gettext_noop("monitor live conversations"): Perm.LIVE_MONITOR,
    gettext_noop("change the plan"): Perm.BILLING_MANAGE,
    gettext_noop("change security settings"): Perm.SECURITY_MANAGE,
    gettext_noop("read the activity log"): Perm.AUDIT_VIEW,
    gettext_noop("create api tokens"): Perm.API_TOKENS_MANAGE,
}
# Ticket permissions reach only the tickets of the member's divisions when they have any (ORG-4).
DIVISION_SCOPED = {Perm.TICKETS_VIEW_ALL, Perm.TICKETS_DELETE, Perm.DATA_EXPORT}


@dataclass(frozen=True)
class Answer:
    member: Member
    permission: str
    permission_label: str
    asked: str
    allowed: bool
    reason: str
    role: str
    is_owner: bool
    scope: str


def choices() -> list[tuple[str, str]]:
    perms = [(p.value, f"{PERMISSION_LABELS[p]} ({p.value})") for p in Perm]
    actions = [(phrase, capfirst(gettext_lazy(phrase))) for phrase in ACTIONS]
    return [("", gettext_lazy("Choose…")), *actions, *perms]


def resolve(asked: str) -> str:
    text = " ".join(str(asked or "").lower().split())
    if not text:
        raise ValidationFailed({"permission": gettext("is required")})
    if text in PERMISSION_LABELS:
        return text
    if text in ACTIONS:
        return ACTIONS[text]
    for perm, label in PERMISSION_LABELS.items():
        if text == label.lower():
            return perm
    raise ValidationFailed(
        {
            "permission": gettext(
                "is not a permission key (such as tickets.delete) or a known action"
            )
        }
    )


def _chat_access_assigned(member: Member) -> bool:
    """True when the member's chat access is "assigned divisions only" (ORG-4, org area)."""
    try:
        from crewbase.org.tickets import chat_access_of
    except ImportError:  # older org area: every supervisor sees all divisions
        return False
    return chat_access_of(member) == "assigned"


def _scope(member: Member, perm: str, allowed: bool) -> str:
    if not allowed:
        return gettext_noop("None")  # the API answers in English; the console translates
    if perm in DIVISION_SCOPED and not member.is_owner and _chat_access_assigned(member):
        divisions = sorted(d.name for d in member.divisions.all())
        names = ", ".join(divisions) if divisions else gettext("none yet")
        # Names the divisions, so it is translated here, in the language of whoever asked.
        return gettext(
            "Chat access 'assigned divisions only': tickets of the divisions %(names)s, "
            "plus tickets assigned to them"
        ) % {"names": names}
    return gettext_noop("The whole account")


def explain_member(*, actor: Actor, member: Member, asked: str) -> Answer:
    policy.require(actor, "audit.view", target=member)
    perm = resolve(asked)
    explanation = policy.explain(member, perm)
    return Answer(
        member=member,
        permission=perm,
        permission_label=PERMISSION_LABELS[perm],
        asked=asked,
        allowed=explanation.allowed,
        reason=explanation.reason,
        role=member.role.name,
        is_owner=member.is_owner,
        scope=_scope(member, perm, explanation.allowed),
    )
