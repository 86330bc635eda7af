"""Which members a bulk action acts on: ids the admin ticked, or every member a filter matches.

The filter is exactly the members list's (people/selectors.list_members, with the filters
other areas register): it is first checked by list_members itself, so a bad parameter gets
the same field error as on the list, then the same conditions select every matching id.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.people import list_extensions, member_search, selectors

# A job's rows are written up front; this bounds the transaction that writes them.
MAX_MEMBERS = 200_000
MAX_LISTED_IDS = 10_000
# Parameters of the list that choose a page, not members: ignored here.
PAGING = {"sort", "cursor", "limit", "view"}
BUILTIN_FILTERS = ("role", "status", "team", "agent_access", "division", "queue")


def clean_filter(raw) -> dict:
    if not isinstance(raw, dict):
        raise ValidationFailed({"filter": _("must be an object of members-list filters")})
    cleaned = {}
    for name, value in raw.items():
        if name in PAGING or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str | int | bool):
            raise ValidationFailed({f"filter.{name}": _("must be text")})
        cleaned[str(name)] = value if isinstance(value, bool) else str(value)
    return cleaned


def selected_members(actor: Actor, *, member_ids=None, filter=None) -> list[tuple[int, str]]:
    """(id, email) of the selected members of the actor's account, in id order."""
    if (member_ids is None) == (filter is None):
        raise ValidationFailed(
            {"member_ids": _("give either member_ids or filter (all members matching it)")}
        )
    members = selectors.members_visible_to(actor).order_by("pk")
    if member_ids is not None:
        ids = _clean_ids(member_ids)
        found = list(members.filter(pk__in=ids).values_list("pk", "email"))
        unknown = sorted(set(ids) - {pk for pk, _ in found})
        if unknown:
            shown = ", ".join(map(str, unknown[:20])) + (" …" if len(unknown) > 20 else "")
            raise ValidationFailed(
                {"member_ids": _("no such member in this account: %(ids)s") % {"ids": shown}}
            )
        return found
    cleaned = clean_filter(filter)
    # The list's own validation first: the same reasons for the same bad parameters.
    selectors.list_members(actor, **cleaned, limit=1)
    errors: dict[str, str] = {}
    term = cleaned.pop("q", None)
    builtin = {name: cleaned.pop(name, None) for name in BUILTIN_FILTERS}
    # The list selector's own conditions, so "all that match" is exactly what the list shows.
    conditions = selectors.filter_conditions(actor, errors, **builtin)
    conditions += list_extensions.conditions(actor, errors, cleaned)
    if errors:
        raise ValidationFailed(errors)
    members = members.filter(*conditions)
    if term:
        members = members.filter(member_search.contains(term.strip()))
    found = list(members.values_list("pk", "email")[: MAX_MEMBERS + 1])
    if len(found) > MAX_MEMBERS:
        raise ValidationFailed(
            {
                "filter": _("matches more than %(count)s members; narrow it down")
                % {"count": f"{MAX_MEMBERS:,}"}
            }
        )
    return found


def _clean_ids(member_ids) -> list[int]:
    if not isinstance(member_ids, list | tuple) or not member_ids:
        raise ValidationFailed({"member_ids": _("must be a non-empty list of member ids")})
    if len(member_ids) > MAX_LISTED_IDS:
        raise ValidationFailed(
            {
                "member_ids": _("at most %(count)s ids; use a filter for more")
                % {"count": f"{MAX_LISTED_IDS:,}"}
            }
        )
    ids = []
    for value in member_ids:
        parsed = selectors.parse_id(value)
        if parsed is None:
            raise ValidationFailed(
                {"member_ids": _("%(value)s is not a member id") % {"value": repr(str(value)[:40])}}
            )
        ids.append(parsed)
    return sorted(set(ids))
