"""Account security settings and a person's own settings (INV-3, INV-6, SELF-1, LIFE-5).

`update_account_settings` changes the account's invitation and domain rules (security.manage);
`update_own_profile` and `update_preferences` let anyone change their own name, theme and
time zone without `users.manage`.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.people.actions import limits
from crewbase.people.actions.changes import (
    EDITABLE_FIELDS,
    apply_member_changes,
    clean_member_changes,
)
from crewbase.people.models import Person

INVITE_EXPIRY_RANGE = (1, 30)
MAX_DOMAINS = 200
DOMAIN_LIST_FIELDS = ("blocked_domains", "allowed_domains")
ACCOUNT_SETTINGS_FIELDS = ("invite_expiry_days", "block_personal_domains", *DOMAIN_LIST_FIELDS)
DOMAIN_SEPARATORS = re.compile(r"[,;\s]+")
# Letters, digits and inner hyphens per label, at least two labels, a non-numeric top level.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN_PATTERN = re.compile(rf"^(?:{_LABEL}\.)+(?!-)[a-z0-9-]*[a-z][a-z0-9-]*(?<!-)$")
OWN_PROFILE_FIELDS = {name: EDITABLE_FIELDS[name] for name in ("first_name", "last_name")}
THEMES = ("light", "dark", "system")
PREFERENCE_FIELDS = ("theme", "time_zone", "language")


def _parse_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.lstrip("-").isdigit():
        return int(value.strip())
    return None


def _parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "on", "1", "yes"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "off", "0", "no", ""):
        return False
    return None


def clean_domains(value) -> tuple[list[str], str | None]:
    """A list (or pasted text) of domains: lower-cased, de-duplicated, each one checked."""
    if isinstance(value, str):
        pieces = DOMAIN_SEPARATORS.split(value)
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        pieces = list(value)
    else:
        return [], _("must be a list of domains")
    domains: dict[str, None] = {}
    for piece in pieces:
        domain = piece.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        if len(domain) > 253 or not DOMAIN_PATTERN.match(domain):
            return [], _('"%(text)s" is not a domain (expected a name like example.com)') % {
                "text": piece.strip()[:80]
            }
        domains[domain] = None
    if len(domains) > MAX_DOMAINS:
        return [], _("at most %(count)s domains") % {"count": MAX_DOMAINS}
    return sorted(domains), None


def _clean_account_settings(changes) -> dict:
    if not isinstance(changes, dict):
        raise ValidationFailed({"changes": _("must be a set of field values")})
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name in sorted(set(changes) - set(ACCOUNT_SETTINGS_FIELDS)):
        errors[str(name)] = _("is not an account setting")
    if "invite_expiry_days" in changes:
        days = _parse_int(changes["invite_expiry_days"])
        low, high = INVITE_EXPIRY_RANGE
        if days is None or not low <= days <= high:
            errors["invite_expiry_days"] = _(
                "must be a whole number of days from %(low)s to %(high)s"
            ) % {"low": low, "high": high}
        else:
            cleaned["invite_expiry_days"] = days
    if "block_personal_domains" in changes:
        flag = _parse_bool(changes["block_personal_domains"])
        if flag is None:
            errors["block_personal_domains"] = _("must be true or false")
        else:
            cleaned["block_personal_domains"] = flag
    for name in DOMAIN_LIST_FIELDS:
        if name in changes:
            domains, problem = clean_domains(changes[name])
            if problem:
                errors[name] = problem
            else:
                cleaned[name] = domains
    if not errors and "blocked_domains" in cleaned and "allowed_domains" in cleaned:
        both = sorted(set(cleaned["blocked_domains"]) & set(cleaned["allowed_domains"]))
        if both:
            errors["allowed_domains"] = _("cannot be both allowed and blocked: %(domains)s") % {
                "domains": ", ".join(both)
            }
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def update_account_settings(*, actor: Actor, changes: dict):
    """Change invitation expiry and the domain rules; records before and after."""
    policy.require(actor, "security.manage")
    cleaned = _clean_account_settings(changes)
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        # A list given alone is still checked against the other, as stored.
        blocked = set(cleaned.get("blocked_domains", account.blocked_domains or []))
        allowed = set(cleaned.get("allowed_domains", account.allowed_domains or []))
        both = sorted(blocked & allowed)
        if both:
            field = "allowed_domains" if "allowed_domains" in cleaned else "blocked_domains"
            raise ValidationFailed(
                {
                    field: _("cannot be both allowed and blocked: %(domains)s")
                    % {"domains": ", ".join(both)}
                }
            )
        before = {name: getattr(account, name) for name in cleaned}
        changed = {name: value for name, value in cleaned.items() if before[name] != value}
        if not changed:
            return account
        for name, value in changed.items():
            setattr(account, name, value)
        account.save(update_fields=list(changed))
        record(
            actor,
            "account.updated",
            account,
            before={name: before[name] for name in changed},
            after=changed,
        )
        return account


def _require_own_member(actor: Actor):
    if actor.member is None or actor.kind not in ("member", "api_token"):
        raise PermissionDenied(_("Only a signed-in member can change their own settings."))
    return actor.member


def update_own_profile(*, actor: Actor, first_name, last_name):
    """A person edits the name this account knows them by, without users.manage (LIFE-5)."""
    member = _require_own_member(actor)
    names = {"first_name": first_name, "last_name": last_name}
    cleaned = clean_member_changes(member, names, editable=OWN_PROFILE_FIELDS)
    if not (cleaned["first_name"] or cleaned["last_name"]):
        raise ValidationFailed({"first_name": _("enter a first or a last name")})
    return apply_member_changes(actor=actor, member=member, cleaned=cleaned)


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _clean_preferences(changes) -> dict:
    if not isinstance(changes, dict):
        raise ValidationFailed({"changes": _("must be a set of field values")})
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name in sorted(set(changes) - set(PREFERENCE_FIELDS)):
        errors[str(name)] = _("is not a personal preference")
    if "theme" in changes:
        if changes["theme"] not in THEMES:
            errors["theme"] = _("must be one of: %(choices)s") % {"choices": ", ".join(THEMES)}
        else:
            cleaned["theme"] = changes["theme"]
    if "time_zone" in changes:
        zone = changes["time_zone"]
        if not isinstance(zone, str) or zone.strip() not in time_zones():
            errors["time_zone"] = _("is not a known time zone (for example Europe/Paris or UTC)")
        else:
            cleaned["time_zone"] = zone.strip()
    if "language" in changes:
        codes = [code for code, _name in settings.LANGUAGES]
        if changes["language"] not in codes:
            errors["language"] = _("must be one of: %(choices)s") % {"choices": ", ".join(codes)}
        else:
            cleaned["language"] = changes["language"]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def update_preferences(*, actor: Actor, changes: dict) -> Person:
    """Theme and time zone, stored on the person so they follow them into every account."""
    member = _require_own_member(actor)
    cleaned = _clean_preferences(changes)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=member.person_id)
        preferences = dict(person.preferences or {})
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
            member,
            before={name: before[name] for name in changed},
            after=changed,
        )
        return person
