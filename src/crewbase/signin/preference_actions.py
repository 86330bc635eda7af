"""A person's notification preferences and reply signature (SELF-1).

Stored with theme, time zone and language in `Person.preferences`, so they follow the person
into every account; the host helpdesk reads them through the API. Only this module writes
the "notifications" and "signature" keys.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.people.models import Person

# What a person can be emailed about, and the default for someone who never chose.
NOTIFICATION_TOPICS: dict[str, tuple[str, bool]] = {
    "ticket_assigned": (_("A ticket is assigned to me"), True),
    "ticket_reply": (_("A customer replies on a ticket of mine"), True),
    "mention": (_("Someone mentions me"), True),
    "security": (_("Security notices about my sign-ins and two-factor settings"), True),
    "weekly_summary": (_("A weekly summary of my work"), False),
}
SIGNATURE_MAX = 2000


def notification_choices(person) -> dict[str, bool]:
    chosen = (person.preferences or {}).get("notifications") or {}
    return {
        key: chosen.get(key, default) if isinstance(chosen.get(key, default), bool) else default
        for key, (_label, default) in NOTIFICATION_TOPICS.items()
    }


def signature_of(person) -> str:
    value = (person.preferences or {}).get("signature", "")
    return value if isinstance(value, str) else ""


def _clean(notifications, signature) -> dict:
    errors: dict[str, str] = {}
    cleaned: dict = {}
    if notifications is not None:
        if not isinstance(notifications, dict):
            errors["notifications"] = gettext("must map topics to true or false")
        else:
            for key in sorted(set(notifications) - set(NOTIFICATION_TOPICS)):
                errors[f"notifications.{key}"] = gettext("is not a notification topic")
            for key, value in notifications.items():
                if key in NOTIFICATION_TOPICS and not isinstance(value, bool):
                    errors[f"notifications.{key}"] = gettext("must be true or false")
            cleaned["notifications"] = {
                k: v for k, v in notifications.items() if k in NOTIFICATION_TOPICS
            }
    if signature is not None:
        if not isinstance(signature, str):
            errors["signature"] = gettext("must be text")
        elif len(signature) > SIGNATURE_MAX:
            errors["signature"] = gettext("must be at most %(limit)s characters") % {
                "limit": SIGNATURE_MAX
            }
        elif "\x00" in signature:
            errors["signature"] = gettext("must not contain NUL characters")
        else:
            cleaned["signature"] = signature.replace("\r\n", "\n").strip()
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def update_notifications_and_signature(
    *, actor: Actor, notifications: dict | None = None, signature: str | None = None
) -> Person:
    """Either or both; unchanged values record nothing."""
    if actor.member is None or actor.kind not in ("member", "api_token"):
        raise PermissionDenied(gettext("Only a signed-in member can change their own settings."))
    cleaned = _clean(notifications, signature)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=actor.member.person_id)
        preferences = dict(person.preferences or {})
        if "notifications" in cleaned:
            cleaned["notifications"] = {**notification_choices(person), **cleaned["notifications"]}
        before = {name: preferences.get(name) for name in cleaned}
        changed = {name: value for name, value in cleaned.items() if before[name] != value}
        if not changed:
            return person
        preferences.update(changed)
        person.preferences = preferences
        person.save(update_fields=["preferences"])
        record(
            actor,
            "member.preferences_changed",
            actor.member,
            before={name: before[name] for name in changed},
            after=changed,
        )
        return person


def update_personal_settings(*, actor: Actor, changes: dict) -> Person:
    """Theme, time zone, language, notifications and signature in one go: all or nothing."""
    from crewbase.accounts.settings_actions import PREFERENCE_FIELDS, update_preferences

    if not isinstance(changes, dict):
        raise ValidationFailed({"changes": gettext("must be a set of field values")})
    known = {*PREFERENCE_FIELDS, "notifications", "signature"}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationFailed(
            {str(name): gettext("is not a personal setting") for name in unknown}
        )
    simple = {name: changes[name] for name in PREFERENCE_FIELDS if name in changes}
    with transaction.atomic():
        if simple:
            update_preferences(actor=actor, changes=simple)
        person = update_notifications_and_signature(
            actor=actor,
            notifications=changes.get("notifications"),
            signature=changes.get("signature"),
        )
    return person
