"""Keyset pagination for the members list: sort orders and the opaque cursor between pages.

A page continues strictly after the last row of the previous one, (sort value, id), so a
deep page costs the same as the first (no OFFSET) and rows added or removed meanwhile never
make a row appear twice. Nullable keys (joined, last sign-in) are walked in two segments,
rows with a value first, then rows without one, each in index order: "NULLS LAST" as an ORDER
BY clause would stop both databases from reading the index in order. The same order can be
applied in memory to a short list of keys (`sorted_keys`, `comes_after`), for plans that read
rows by primary key.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from crewbase.core.errors import ValidationFailed

# Enough for the longest key: a 301-character display name of 4-byte characters, in base64.
MAX_CURSOR_LENGTH = 2048
PRESENT, MISSING = "present", "missing"


@dataclass(frozen=True)
class SortOrder:
    key: str  # as it appears in URLs: "name", "-joined", …
    field: str
    descending: bool
    nullable: bool

    @property
    def segments(self) -> tuple[str, ...]:
        return (PRESENT, MISSING) if self.nullable else (PRESENT,)

    def ordering(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.field}", f"{sign}id"]

    def segment_filter(self, segment: str) -> Q:
        if not self.nullable:
            return Q()
        return Q(**{f"{self.field}__isnull": segment == MISSING})

    def after(self, cursor: Cursor) -> Q:
        """Rows strictly after the cursor, inside the cursor's own segment."""
        later = "lt" if self.descending else "gt"
        if cursor.value is None:
            return Q(**{f"id__{later}": cursor.member_id})
        # The leading range condition lets the index seek straight to the cursor; the second
        # one breaks ties on the sort value by id.
        return Q(**{f"{self.field}__{later}e": cursor.value}) & (
            Q(**{f"{self.field}__{later}": cursor.value}) | Q(**{f"id__{later}": cursor.member_id})
        )

    def sorted_keys(self, keys: list[tuple]) -> list[tuple]:
        """(value, id) pairs in this order, in memory: the same order the database gives."""
        present = sorted((k for k in keys if k[0] is not None), reverse=self.descending)
        missing = sorted((k for k in keys if k[0] is None), reverse=self.descending)
        return present + missing

    def comes_after(self, key: tuple, cursor: Cursor) -> bool:
        """Whether the (value, id) pair `key` sorts after the cursor, in memory."""
        key_missing, cursor_missing = key[0] is None, cursor.value is None
        if key_missing != cursor_missing:
            return key_missing  # rows without a value come after every row with one
        if key_missing:
            key, mark = key[1], cursor.member_id
        else:
            mark = (cursor.value, cursor.member_id)
        return key < mark if self.descending else key > mark

    def segment_of(self, cursor: Cursor) -> str:
        return MISSING if cursor.value is None else PRESENT

    def cursor_after(self, member) -> Cursor:
        return Cursor(self.key, getattr(member, self.field), member.pk)


def _sort_orders() -> dict[str, SortOrder]:
    fields = {
        "name": ("display_name", False),
        "email": ("email", False),
        "joined": ("joined_at", True),
        "last_sign_in": ("last_sign_in_at", True),
    }
    orders = {}
    for key, (field, nullable) in fields.items():
        orders[key] = SortOrder(key, field, descending=False, nullable=nullable)
        orders[f"-{key}"] = SortOrder(f"-{key}", field, descending=True, nullable=nullable)
    return orders


SORT_ORDERS = _sort_orders()


@dataclass(frozen=True)
class Cursor:
    sort_key: str
    value: str | datetime | None
    member_id: int

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        raw = json.dumps(
            [self.sort_key, value, self.member_id], separators=(",", ":"), ensure_ascii=False
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str, order: SortOrder) -> Cursor:
    """The cursor a previous page handed out, or ValidationFailed naming `cursor`."""
    invalid = ValidationFailed({"cursor": _("is not a valid cursor for this list")})
    if not isinstance(text, str) or len(text) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        sort_key, value, member_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise invalid from None
    if sort_key != order.key:
        raise ValidationFailed(
            {
                "cursor": _("belongs to sort order %(used)s, not %(asked)s")
                % {"used": repr(sort_key), "asked": repr(order.key)}
            }
        )
    if not isinstance(member_id, int) or isinstance(member_id, bool):
        raise invalid
    if not 0 < member_id < 2**63:  # beyond a bigint the database itself would refuse it
        raise invalid
    if value is None:
        if not order.nullable:
            raise invalid
    elif not isinstance(value, str) or "\x00" in value:  # PostgreSQL rejects NUL in text
        raise invalid
    elif order.nullable:
        value = _parse_aware_datetime(value)
        if value is None:
            raise invalid
    return Cursor(sort_key, value, member_id)


def _parse_aware_datetime(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
