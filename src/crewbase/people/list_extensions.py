"""Filters and columns that other areas add to the members list (LIST-1).

The users list gathers facts owned by many areas (2FA from mfa, enforced auth from sso,
presence from work, onboarding from governance, skills from org). Each area registers its
filter and column here from its AppConfig.ready(), so the list selector, the console page,
the card view and the API all offer it without knowing the area.

- A filter turns the raw text of one URL/API parameter into a Q on Member, or records
  `errors[name] = reason` for bad text. A filter whose meaning depends on another
  parameter names it in `reads`; its parse then also gets `others={name: raw text or None}`.
  `choices(account)` gives the console's <select> options (value, label); the first option
  is offered as "any".
- A column gives a label, a template rendering one cell (it receives `member` and `value`)
  and `values(members) -> {member_id: value}`, computed for one page in one or two queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class MemberFilter:
    name: str
    label: str
    parse: Callable[[object, str, dict], Q | None]  # (actor, raw text, errors) -> condition
    choices: Callable[[object], list[tuple[str, str]]]  # account -> options, "" first
    description: str = ""
    reads: tuple[str, ...] = ()  # other parameters parse receives as `others`


@dataclass(frozen=True)
class MemberColumn:
    key: str
    label: str
    template: str
    values: Callable[[list], dict]  # page of members -> {member_id: value}


_FILTERS: dict[str, MemberFilter] = {}
_COLUMNS: dict[str, MemberColumn] = {}


def register_filter(member_filter: MemberFilter) -> None:
    _FILTERS[member_filter.name] = member_filter


def register_column(column: MemberColumn) -> None:
    _COLUMNS[column.key] = column


def filters() -> list[MemberFilter]:
    return list(_FILTERS.values())


def columns() -> list[MemberColumn]:
    return list(_COLUMNS.values())


def conditions(actor, errors: dict, raw: dict) -> list[Q]:
    """The conditions of the registered filters given a non-blank value in `raw`."""
    found = []
    for member_filter in _FILTERS.values():
        value = raw.get(member_filter.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = str(value).strip()
        if member_filter.reads:
            others = {name: raw.get(name) for name in member_filter.reads}
            condition = member_filter.parse(actor, text, errors, others=others)
        else:
            condition = member_filter.parse(actor, text, errors)
        if condition is not None:
            found.append(condition)
    return found


def cells(members: list) -> list[tuple[MemberColumn, dict]]:
    """Each registered column with its values for this page of members."""
    return [(column, column.values(members)) for column in _COLUMNS.values()]
