"""Password reset links (AUTH-3): sent by an admin, or printed for a new owner by the CLI.

Both use allauth's own key (`<uid>-<token>`) and page, so one reset page handles every link:
single-use (the token hashes the current password) and expiring after PASSWORD_RESET_TIMEOUT.
The admin never sees the link or the password.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict
from crewbase.core.language import duration_in_words
from crewbase.core.outbox import queue_email
from crewbase.people.actions import limits
from crewbase.people.models import Member, MemberStatus, Person


def reset_link_for_key(key: str) -> str:
    """The absolute URL of allauth's reset page for a `<uid>-<token>` key."""
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.CREWBASE_BASE_URL + path.replace("UID-KEY", quote(key))


def password_setup_link(person: Person) -> str:
    """A one-time link to choose a password (for a new owner created from the CLI)."""
    token = default_token_generator.make_token(person)
    return reset_link_for_key(f"{user_pk_to_url_str(person)}-{token}")


def link_lifetime_text() -> str:
    """E.g. "1 hour", worded in the language of the email it goes into (read when rendered)."""
    return duration_in_words(settings.PASSWORD_RESET_TIMEOUT // 60)


def send_password_reset(*, actor: Actor, member: Member) -> Member:
    """Email an active, registered member a link to choose a new password."""
    policy.require(actor, "users.manage", target=member)
    with transaction.atomic():
        member = limits.lock_member(member)
        if member.status != MemberStatus.ACTIVE:
            status = member.get_status_display().lower()
            raise Conflict(
                _("%(email)s is %(status)s; only active members can reset.")
                % {"email": member.email, "status": status},
                errors={
                    "member": _("is %(status)s; only active members can reset") % {"status": status}
                },
            )
        if not member.person.is_registered:
            raise Conflict(
                _("%(email)s has not chosen a password yet; resend the invitation instead.")
                % {"email": member.email},
                errors={
                    "member": _("has not chosen a password yet; resend the invitation instead")
                },
            )
        queue_email(
            account=member.account,
            to=member.email,
            template="password_reset_by_admin",
            context={
                "account": member.account,
                "member": member,
                "admin": actor.display,
                "link": password_setup_link(member.person),
                "lifetime": link_lifetime_text(),
            },
            key=f"password-reset-by-admin-{member.pk}-{uuid.uuid4().hex}",
        )
        record(actor, "auth.password_reset_sent_by_admin", member)
        return member
