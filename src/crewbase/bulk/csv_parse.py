"""Reading an invitation CSV (INV-7): bytes in, header-mapped rows out, or one plain refusal.

Accepted: UTF-8 with or without a byte-order mark, Excel-style quoting, `,` or `;` between
cells (Excel writes `;` where the decimal separator is a comma), header names in any case
and with `_`/`-` for spaces. Refused before anything is read row by row: files over 5 MB,
binary files (whatever their name), text that is not UTF-8, a header that lacks a required
column or names an unknown one, and more than 10,000 rows. Row numbers are the spreadsheet's:
the header is row 1, so the first person is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crewbase.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = (
    "email",
    "first name",
    "last name",
    "role",
    "teams",
    "agent access",
    "divisions",
    "phone",
)
REQUIRED = ("email", "role")
ALIASES = {
    "e mail": "email",
    "email address": "email",
    "firstname": "first name",
    "given name": "first name",
    "lastname": "last name",
    "surname": "last name",
    "family name": "last name",
    "team": "teams",
    "division": "divisions",
    "agent": "agent access",
    "phone number": "phone",
}
# Control characters other than tab, new line and carriage return never occur in a CSV.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[\s_\-]+")


@dataclass
class CsvRow:
    number: int  # spreadsheet row (header = 1)
    values: dict[str, str]


@dataclass
class ParsedCsv:
    rows: list[CsvRow]
    columns: list[str]
    delimiter: str
    text: str
    # (row, column, reason) found while reading, e.g. a row with more cells than the header.
    problems: list[tuple[int, str, str]]


def refuse(reason: str) -> ValidationFailed:
    return ValidationFailed({"file": reason})


def _header_name(raw: str) -> str:
    name = _SPACES.sub(" ", raw.strip().strip('"').lower()).strip()
    return ALIASES.get(name, name)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise refuse(
            _("is %(size)s MB; the limit is %(limit)s MB")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
    if not data.strip():
        raise refuse(_("is empty"))
    if b"\x00" in data:
        raise refuse(_("is not a CSV text file: it contains binary data"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refuse(
            _(
                "is not UTF-8 text (byte %(byte)s is not valid UTF-8); "
                "save it as 'CSV UTF-8' and upload it again"
            )
            % {"byte": error.start + 1}
        ) from None
    if _CONTROL.search(text[:65536]):
        raise refuse(_("is not a CSV text file: it contains binary data"))
    return text


def sniff_delimiter(header_line: str) -> str:
    """`;` if the header has more semicolons than commas, else `,` (header names hold neither)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_csv(data: bytes) -> ParsedCsv:
    text = decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = list(reader)
    except csv.Error as error:
        raise refuse(
            _("line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    above = 0
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)  # blank lines above the header
        above += 1
    if not records:
        raise refuse(_("is empty"))
    columns = [_header_name(cell) for cell in records[0]]
    _check_header(columns)
    rows: list[CsvRow] = []
    problems: list[tuple[int, str, str]] = []
    for index, cells in enumerate(records[1:], start=2 + above):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are skipped, but still count for row numbers
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            problems.append(
                (
                    index,
                    "",
                    _("has %(cells)s cells but the header names %(columns)s columns")
                    % {"cells": len(cells), "columns": len(columns)},
                )
            )
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)
        }
        rows.append(CsvRow(index, values))
        if len(rows) > MAX_ROWS:
            raise refuse(
                _("has more than %(count)s rows; split it into smaller files")
                % {"count": f"{MAX_ROWS:,}"}
            )
    if not rows:
        raise refuse(_("has a header but no rows"))
    return ParsedCsv(rows, columns, delimiter, text, problems)


def _check_header(columns: list[str]) -> None:
    expected = ", ".join(COLUMNS)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise refuse(
            ngettext(
                "missing column %(missing)s in the header row; "
                "the columns are: %(expected)s (%(required)s required)",
                "missing columns %(missing)s in the header row; "
                "the columns are: %(expected)s (%(required)s required)",
                len(missing),
            )
            % {
                "missing": ", ".join(missing),
                "expected": expected,
                "required": " and ".join(REQUIRED),
            }
        )
    unknown = [name or "(blank)" for name in columns if name not in COLUMNS]
    if unknown:
        raise refuse(
            _("unknown column %(unknown)s in the header row; the columns are: %(expected)s")
            % {"unknown": ", ".join(repr(n) for n in unknown), "expected": expected}
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise refuse(
            _("the header names %(names)s more than once") % {"names": ", ".join(repeated)}
        )
