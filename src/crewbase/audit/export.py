"""Exporting the activity log as CSV or JSON (ACT-3), streamed row by row.

`write_activity_csv` / `write_activity_json` write to a text stream (a file, stdout);
`iter_activity_csv` / `iter_activity_json` yield the same text in chunks for a streaming
HTTP response. `export_activity` is the action: it checks permissions and records the export.
Labels are written in the language active when the export starts (the reader's), even though
a streamed response is written after the view has returned.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit import registry
from crewbase.audit.models import ActivityEvent
from crewbase.audit.record import record
from crewbase.audit.selectors import activity_visible_to, filter_activity
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed

FORMATS = ("csv", "json")
CSV_COLUMNS = (
    "seq",
    "created_at",
    "action",
    "label",
    "actor_kind",
    "actor_member_id",
    "actor",
    "target_type",
    "target_id",
    "target",
    "before",
    "after",
    "ip_address",
    "user_agent",
    "hash",
)
BOM = "\ufeff"
# Spreadsheets run a cell starting with these as a formula; names and user agents are
# typed by outsiders, so such cells get a leading apostrophe (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500
CHUNK_CHARS = 64 * 1024


def _label(action: str) -> str:
    return registry.get(action).label if registry.is_registered(action) else action


def event_as_dict(event: ActivityEvent) -> dict:
    return {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "action": event.action,
        "label": _label(event.action),
        "actor_kind": event.actor_kind,
        "actor_member_id": event.actor_member_id,
        "actor": event.actor_display,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target": event.target_display,
        "before": event.before,
        "after": event.after,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "hash": event.hash,
    }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _rows(queryset: QuerySet[ActivityEvent]) -> Iterator[ActivityEvent]:
    return queryset.order_by("seq").iterator(chunk_size=CHUNK_ROWS)


def _in_language_of_caller(
    chunks: Callable[[QuerySet[ActivityEvent]], Iterator[str]],
) -> Callable[[QuerySet[ActivityEvent]], Iterator[str]]:
    @wraps(chunks)
    def in_language(queryset: QuerySet[ActivityEvent]) -> Iterator[str]:
        language = translation.get_language()

        def written() -> Iterator[str]:
            with translation.override(language):
                yield from chunks(queryset)

        return written()

    return in_language


@_in_language_of_caller
def iter_activity_csv(queryset: QuerySet[ActivityEvent]) -> Iterator[str]:
    """The CSV in chunks, starting with a BOM so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in _rows(queryset):
        as_dict = event_as_dict(event)
        writer.writerow([_csv_cell(as_dict[column]) for column in CSV_COLUMNS])
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@_in_language_of_caller
def iter_activity_json(queryset: QuerySet[ActivityEvent]) -> Iterator[str]:
    """A JSON array, one event object per element, without building the whole list."""
    yield "["
    for index, event in enumerate(_rows(queryset)):
        text = json.dumps(event_as_dict(event), cls=DjangoJSONEncoder, ensure_ascii=False)
        yield ("," if index else "") + "\n" + text
    yield "\n]\n"


def _write(chunks: Iterable[str], stream, *, skip_bom: bool) -> None:
    for chunk in chunks:
        if skip_bom and chunk.startswith(BOM):
            chunk = chunk[len(BOM) :]
        stream.write(chunk)


def write_activity_csv(queryset: QuerySet[ActivityEvent], stream) -> None:
    """Write CSV with a BOM to a text stream (one opened as 'utf-8-sig' adds the BOM itself)."""
    codec_adds_bom = (getattr(stream, "encoding", "") or "").lower().replace("_", "-") in (
        "utf-8-sig",
        "utf8-sig",
    )
    _write(iter_activity_csv(queryset), stream, skip_bom=codec_adds_bom)


def write_activity_json(queryset: QuerySet[ActivityEvent], stream) -> None:
    _write(iter_activity_json(queryset), stream, skip_bom=False)


def export_activity(*, actor: Actor, format: str, **filters) -> QuerySet[ActivityEvent]:
    """Check `audit.view` + `data.export`, record the export, return the events to write.

    `filters` are those of `filter_activity`. The caller streams the queryset with one of the
    writers above; the record is committed first, so even an interrupted download is logged.
    """
    policy.require(actor, "audit.view")
    policy.require(actor, "data.export")
    if format not in FORMATS:
        raise ValidationFailed(
            {"format": _("must be one of: %(choices)s") % {"choices": ", ".join(FORMATS)}}
        )
    events = filter_activity(activity_visible_to(actor), **filters)
    with transaction.atomic():
        record(
            actor,
            "activity.exported",
            actor.account,
            after={"format": format, "filters": {k: v for k, v in filters.items() if v}},
        )
    return events
