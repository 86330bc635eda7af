"""Every activity type Crewbase records, with the label people read (ACT-1)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    key: str
    label: str
    category: str


_TYPES: dict[str, EventType] = {}


def register(key: str, label: str, category: str) -> EventType:
    event_type = EventType(key, label, category)
    _TYPES[key] = event_type
    return event_type


def get(key: str) -> EventType:
    try:
        return _TYPES[key]
    except KeyError:
        raise KeyError(f"unregistered activity type {key!r}") from None


def all_types() -> list[EventType]:
    return sorted(_TYPES.values(), key=lambda t: t.key)


def is_registered(key: str) -> bool:
    return key in _TYPES


for _key, _label, _category in [
    ("account.created", "Account created", "account"),
    ("account.updated", "Account settings changed", "account"),
    ("account.ownership_transferred", "Ownership transferred", "account"),
    ("account.billing_contact_changed", "Billing contact changed", "account"),
    ("account.cancellation_scheduled", "Account cancellation scheduled", "account"),
    ("account.cancellation_undone", "Account cancellation undone", "account"),
    ("member.invited", "Invited", "members"),
    ("member.invitation_resent", "Invitation resent", "members"),
    ("member.invitation_cancelled", "Invitation cancelled", "members"),
    ("member.joined", "Accepted invitation", "members"),
    ("member.updated", "Profile edited", "members"),
    ("member.role_changed", "Role changed", "members"),
    ("member.agent_access_changed", "Agent access changed", "members"),
    ("member.deactivated", "Deactivated", "members"),
    ("member.reactivated", "Reactivated", "members"),
    ("member.deleted", "Deleted permanently", "members"),
    ("member.offboarded", "Offboarded", "members"),
    ("member.signed_out_everywhere", "Signed out everywhere", "members"),
    ("member.preferences_changed", "Personal preferences changed", "members"),
    ("ticket.reassigned", "Ticket reassigned", "work"),
    ("macro.transferred", "Macro transferred", "work"),
    ("saved_view.transferred", "Saved view transferred", "work"),
    ("team.created", "Team created", "organisation"),
    ("team.updated", "Team changed", "organisation"),
    ("team.deleted", "Team deleted", "organisation"),
    ("team.members_added", "Members added to team", "organisation"),
    ("team.members_removed", "Members removed from team", "organisation"),
    ("division.created", "Division created", "organisation"),
    ("division.updated", "Division changed", "organisation"),
    ("division.deleted", "Division deleted", "organisation"),
    ("division.members_added", "Members added to division", "organisation"),
    ("division.members_removed", "Members removed from division", "organisation"),
    ("queue.created", "Queue created", "organisation"),
    ("queue.updated", "Queue changed", "organisation"),
    ("queue.deleted", "Queue deleted", "organisation"),
    ("queue.members_set", "Queue agents changed", "organisation"),
    ("skill.created", "Skill created", "organisation"),
    ("skill.updated", "Skill changed", "organisation"),
    ("skill.deleted", "Skill deleted", "organisation"),
    ("skill.assigned", "Skill assigned", "organisation"),
    ("skill.removed", "Skill removed", "organisation"),
    ("skill.bulk_assigned", "Skill added to members", "organisation"),
    ("role.created", "Role created", "roles"),
    ("role.updated", "Role changed", "roles"),
    ("role.deleted", "Role deleted", "roles"),
    ("auth.signed_in", "Signed in", "sign-in"),
    ("auth.sign_in_failed", "Sign-in failed", "sign-in"),
    ("auth.signed_out", "Signed out", "sign-in"),
    ("auth.password_reset_requested", "Password reset requested", "sign-in"),
    ("auth.password_reset_sent_by_admin", "Password reset sent by an admin", "sign-in"),
    ("auth.password_changed", "Password changed", "sign-in"),
    ("api_token.created", "API token created", "security"),
    ("api_token.revoked", "API token revoked", "security"),
    ("activity.exported", "Activity exported", "security"),
    ("members.exported", "Members exported", "security"),
    ("webhook.created", "Webhook created", "security"),
    ("webhook.updated", "Webhook changed", "security"),
    ("webhook.deleted", "Webhook deleted", "security"),
    ("webhook.redelivered", "Webhook event redelivered", "security"),
    ("webhook.disabled", "Webhook disabled after failures", "security"),
]:
    register(_key, _label, _category)
