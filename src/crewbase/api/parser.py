"""Reading request input: JSON bodies and query strings, refusing text no database stores.

NUL characters (PostgreSQL refuses them) and lone surrogates (not encodable as UTF-8)
would otherwise reach the database and fail there as a server error.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja.parser import Parser

from crewbase.core.errors import ValidationFailed

MAX_DEPTH = 20


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return _("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("contains characters that are not valid Unicode text")
    return None


def _check(value, path: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ValidationFailed(
            {path or "body": _("is nested more than %(depth)s levels deep") % {"depth": MAX_DEPTH}}
        )
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValidationFailed({path or "body": problem})
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else f"body.{key}"
            problem = text_problem(key)
            if problem:
                raise ValidationFailed(
                    {"body": _("a field name %(problem)s") % {"problem": problem}}
                )
            _check(item, child, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path or 'body'}.{index}", depth + 1)


class StrictTextParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        _check(data, "")
        return data

    def parse_querydict(self, data, list_fields, request):
        for key, values in data.lists():
            for value in [key, *values]:
                problem = text_problem(value)
                if problem:
                    raise ValidationFailed({f"query.{key}": problem})
        return super().parse_querydict(data, list_fields, request)
