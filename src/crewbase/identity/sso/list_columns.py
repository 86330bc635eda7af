"""The members list's "Enforced auth" column and filter (SSO-2), via people/list_extensions.

Enforcement is per account and the owner keeps the password (break-glass), so both need
nothing per member: one query per page and an `is_owner` condition at any list size."""

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crewbase.identity.sso.enforcement import account_enforces
from crewbase.people.list_extensions import (
    MemberColumn,
    MemberFilter,
    register_column,
    register_filter,
)

CHOICES = [("", _("Any sign-in method")), ("sso", _("SSO")), ("password", _("Password"))]


def _parse(actor, raw: str, errors: dict) -> Q | None:
    value = raw.lower()
    if value not in ("sso", "password"):
        errors["enforced_auth"] = gettext("must be sso or password")
        return None
    if account_enforces(actor.account.pk):
        return Q(is_owner=False) if value == "sso" else Q(is_owner=True)
    return Q(pk__in=[]) if value == "sso" else Q()


def _values(members: list) -> dict:
    if not members:
        return {}
    enforced = account_enforces(members[0].account_id)
    return {
        m.pk: (
            gettext("Password (break-glass)")
            if enforced and m.is_owner
            else gettext("SSO")
            if enforced
            else gettext("Password")
        )
        for m in members
    }


register_filter(
    MemberFilter(
        name="enforced_auth",
        label=_("Enforced auth"),
        parse=_parse,
        choices=lambda account: CHOICES,
        description="sso or password: how the member must sign in",
    )
)
register_column(
    MemberColumn(
        key="enforced_auth",
        label=_("Enforced auth"),
        template="console/members/_text_cell.html",
        values=_values,
    )
)
