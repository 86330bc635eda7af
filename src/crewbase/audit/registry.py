"""Every activity type Crewbase records, with the label people read (ACT-1).

Labels are registered lazily (gettext_lazy) and read through `EventType.label`, which gives
plain text in the language active where it is read: the console page, the CSV or the API.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    key: str
    lazy_label: str | Promise
    category: str

    @property
    def label(self) -> str:
        return str(self.lazy_label)


_TYPES: dict[str, EventType] = {}


def register(key: str, label: str | Promise, category: str) -> EventType:
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
    ("account.created", _("Account created"), "account"),
    ("account.updated", _("Account settings changed"), "account"),
    ("account.ownership_transferred", _("Ownership transferred"), "account"),
    ("account.billing_contact_changed", _("Billing contact changed"), "account"),
    ("account.cancellation_scheduled", _("Account cancellation scheduled"), "account"),
    ("account.cancellation_undone", _("Account cancellation undone"), "account"),
    ("member.invited", _("Invited"), "members"),
    ("member.invitation_resent", _("Invitation resent"), "members"),
    ("member.invitation_cancelled", _("Invitation cancelled"), "members"),
    ("member.joined", _("Accepted invitation"), "members"),
    ("member.updated", _("Profile edited"), "members"),
    ("member.role_changed", _("Role changed"), "members"),
    ("member.agent_access_changed", _("Agent access changed"), "members"),
    ("member.deactivated", _("Deactivated"), "members"),
    ("member.reactivated", _("Reactivated"), "members"),
    ("member.deleted", _("Deleted permanently"), "members"),
    ("member.offboarded", _("Offboarded"), "members"),
    ("member.signed_out_everywhere", _("Signed out everywhere"), "members"),
    ("member.preferences_changed", _("Personal preferences changed"), "members"),
    ("ticket.reassigned", _("Ticket reassigned"), "work"),
    ("macro.transferred", _("Macro transferred"), "work"),
    ("saved_view.transferred", _("Saved view transferred"), "work"),
    ("team.created", _("Team created"), "organisation"),
    ("team.updated", _("Team changed"), "organisation"),
    ("team.deleted", _("Team deleted"), "organisation"),
    ("team.members_added", _("Members added to team"), "organisation"),
    ("team.members_removed", _("Members removed from team"), "organisation"),
    ("division.created", _("Division created"), "organisation"),
    ("division.updated", _("Division changed"), "organisation"),
    ("division.deleted", _("Division deleted"), "organisation"),
    ("division.members_added", _("Members added to division"), "organisation"),
    ("division.members_removed", _("Members removed from division"), "organisation"),
    ("queue.created", _("Queue created"), "organisation"),
    ("queue.updated", _("Queue changed"), "organisation"),
    ("queue.deleted", _("Queue deleted"), "organisation"),
    ("queue.members_set", _("Queue agents changed"), "organisation"),
    ("skill.created", _("Skill created"), "organisation"),
    ("skill.updated", _("Skill changed"), "organisation"),
    ("skill.deleted", _("Skill deleted"), "organisation"),
    ("skill.assigned", _("Skill assigned"), "organisation"),
    ("skill.removed", _("Skill removed"), "organisation"),
    ("skill.bulk_assigned", _("Skill added to members"), "organisation"),
    ("role.created", _("Role created"), "roles"),
    ("role.updated", _("Role changed"), "roles"),
    ("role.deleted", _("Role deleted"), "roles"),
    ("auth.signed_in", _("Signed in"), "sign-in"),
    ("auth.sign_in_failed", _("Sign-in failed"), "sign-in"),
    ("auth.signed_out", _("Signed out"), "sign-in"),
    ("auth.password_reset_requested", _("Password reset requested"), "sign-in"),
    ("auth.password_reset_sent_by_admin", _("Password reset sent by an admin"), "sign-in"),
    ("auth.password_changed", _("Password changed"), "sign-in"),
    ("api_token.created", _("API token created"), "security"),
    ("api_token.revoked", _("API token revoked"), "security"),
    ("activity.exported", _("Activity exported"), "security"),
    ("members.exported", _("Members exported"), "security"),
    ("webhook.created", _("Webhook created"), "security"),
    ("webhook.updated", _("Webhook changed"), "security"),
    ("webhook.deleted", _("Webhook deleted"), "security"),
    ("webhook.redelivered", _("Webhook event redelivered"), "security"),
    ("webhook.disabled", _("Webhook disabled after failures"), "security"),
]:
    register(_key, _label, _category)
