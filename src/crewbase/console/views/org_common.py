"""What the Teams, Divisions, Queues and Skills pages share: forms, email lookups, errors.

Reading these pages needs `users.view`; changing anything needs `teams.manage`, which the
org actions check (the buttons are hidden without it, and a POST answers 403 anyway).
"""

from __future__ import annotations

import re

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from crewbase.access import policy
from crewbase.core.errors import DomainError, ValidationFailed
from crewbase.people.models import Member

MANAGE = "teams.manage"
EMAIL_SEPARATORS = re.compile(r"[\s,;]+")
MAX_EMAILS = 200


class GroupForm(forms.Form):
    """Collects what was typed; the org actions decide what is valid."""

    name = forms.CharField(label=_("Name"), required=False, max_length=500)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000)


class EmailsForm(forms.Form):
    emails = forms.CharField(
        label=_("Member emails"),
        required=False,
        help_text=_("One or more, separated by commas, spaces or new lines."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def can_change(request) -> bool:
    return policy.can(request.actor, MANAGE)


def members_by_emails(actor, text: str, *, field: str = "emails") -> list[Member]:
    """The account's members named in `text`; a ValidationFailed names every unknown email."""
    emails = [e.lower() for e in EMAIL_SEPARATORS.split(text or "") if e]
    if not emails:
        raise ValidationFailed({field: _("enter at least one member's email")})
    if len(emails) > MAX_EMAILS:
        raise ValidationFailed(
            {field: _("at most %(count)s emails at once") % {"count": MAX_EMAILS}}
        )
    found = {
        m.email.lower(): m
        for m in Member.objects.in_account(actor.account).filter(email__in=set(emails))
    }
    unknown = [e for e in dict.fromkeys(emails) if e not in found]
    if unknown:
        raise ValidationFailed(
            {
                field: _("no member with this email here: %(emails)s")
                % {"emails": ", ".join(unknown)}
            }
        )
    return list({m.pk: m for m in (found[e] for e in emails)}.values())


def level_value(raw: str):
    """A typed level as the actions expect it: a whole number, None when blank, else the text
    (which the action refuses with the allowed range in the message)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return int(raw) if re.fullmatch(r"-?\d{1,6}", raw) else raw


def _sentence(reason: str) -> str:
    # An email opening the reason keeps its case: "paul@x.io has no agent access."
    first = reason.split(" ", 1)[0]
    text = reason if "@" in first else reason[:1].upper() + reason[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def show_error(form, error: DomainError) -> None:
    """Each reason on the form field it names (member ids are typed as emails here); the
    rest, or the message when no field is named, on the form itself."""
    for name, reason in error.errors.items():
        field = "emails" if name == "member_ids" else name
        form.add_error(field if field in form.fields else None, _sentence(reason))
    if not error.errors:
        form.add_error(None, _sentence(error.message))


def render_page(request, template: str, context: dict, status: int = 200):
    context.setdefault("can_change", can_change(request))
    return render(request, template, context, status=status)
