"""Reading pasted email lists and checking them against an account's domain rules (INV-1, INV-6)."""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from crewbase.people.models import normalize_email

SEPARATORS = re.compile(r"[,;\s]+")
_validate = EmailValidator()


@cache
def personal_domains() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "personal_email_domains.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def split_emails(raw: str | list[str]) -> list[str]:
    """Split on commas, semicolons, spaces and new lines; fold duplicates case-insensitively,
    keeping the first spelling and the order given."""
    parts = SEPARATORS.split(raw) if isinstance(raw, str) else [str(p) for p in raw]
    seen: dict[str, None] = {}
    for part in parts:
        for piece in SEPARATORS.split(part.strip()):
            email = normalize_email(piece)
            if email and email not in seen:
                seen[email] = None
    return list(seen)


def email_problem(email: str) -> str | None:
    """Why an address is not an email address, or None."""
    if len(email) > 254:
        return _("is longer than 254 characters")
    try:
        _validate(email)
    except ValidationError:
        return _("is not a valid email address")
    return None


def domain_problem(email: str, account) -> str | None:
    """Why the account does not accept this address's domain, or None."""
    domain = email.rsplit("@", 1)[-1]
    allowed = [d.lower() for d in account.allowed_domains or []]
    if allowed and domain not in allowed:
        return _("the domain %(domain)s is not in this account's allowed domains (%(allowed)s)") % {
            "domain": domain,
            "allowed": ", ".join(allowed),
        }
    blocked = {d.lower() for d in account.blocked_domains or []}
    if domain in blocked:
        return _("the domain %(domain)s is blocked by this account") % {"domain": domain}
    if account.block_personal_domains and domain in personal_domains():
        return _(
            "the domain %(domain)s is a personal email provider, which this account blocks"
        ) % {"domain": domain}
    return None
