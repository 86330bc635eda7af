"""The account-wide activity log (ACT-3): filters in the URL, keyset pages, CSV/JSON export.

"Who performed X" is the type filter plus the list of actors who performed it.
"""

from __future__ import annotations

import json
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crewbase.access import policy
from crewbase.audit import registry
from crewbase.audit.export import export_activity, iter_activity_csv, iter_activity_json
from crewbase.audit.models import ActivityEvent
from crewbase.audit.selectors import activity_visible_to, filter_activity
from crewbase.console.views.guards import console_page
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Member, normalize_email
from crewbase.people.selectors import parse_id

PAGE_SIZE = 50
ACTORS_SHOWN = 50
PERFORMERS_SCAN = 10_000
# Above this many members a select would be unusable (and slow): the field takes an email.
MEMBER_SELECT_LIMIT = 300
FILTER_NAMES = ("type", "actor", "target", "since", "until")


@dataclass
class ActivityFilters:
    """The filters as typed (to re-display) and as understood (to query)."""

    raw: dict[str, str]
    query: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def viewer_zone(request) -> zoneinfo.ZoneInfo:
    """Dates are read in the person's own time zone, else the account's (SELF-1)."""
    for name in (
        (request.user.preferences or {}).get("time_zone"),
        request.actor.account.time_zone,
    ):
        try:
            return zoneinfo.ZoneInfo(name)
        except (TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _member_id(account, value: str) -> tuple[int | None, str | None]:
    """A member chosen from the list (an id) or typed as an email address (large accounts)."""
    if "@" in value:
        found = (
            Member.objects.in_account(account)
            .filter(email=normalize_email(value))
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            return None, _("No member of this account has the email address %(email)s.") % {
                "email": value
            }
        return found, None
    member_id = parse_id(value)
    if member_id is None:
        return None, _("Choose a member from the list, or enter their email address.")
    return member_id, None


def parse_filters(params, zone, account) -> ActivityFilters:
    raw = {name: str(params.get(name, "")).strip()[:100] for name in FILTER_NAMES}
    parsed = ActivityFilters(raw=raw)
    query, errors = parsed.query, parsed.errors
    if raw["type"]:
        if registry.is_registered(raw["type"]):
            query["type"] = raw["type"]
        else:
            errors["type"] = _("Choose an activity type from the list.")
    for name, key in (("actor", "actor_member_id"), ("target", "target_id")):
        if raw[name]:
            member_id, problem = _member_id(account, raw[name])
            if problem:
                errors[name] = problem
            else:
                query[key] = member_id
    if "target_id" in query:
        query["target_type"] = "member"
    for name in ("since", "until"):
        if raw[name]:
            day = _parse_day(raw[name])
            if day is None:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
                continue
            try:
                # "until" includes the whole day it names; the selector's bound is exclusive.
                if name == "until":
                    day += timedelta(days=1)
                query[name] = datetime.combine(day, time.min, tzinfo=zone)
            except OverflowError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
    since, until = query.get("since"), query.get("until")
    if since and until and since >= until:
        errors["until"] = _("Must be on or after the “since” date.")
    return parsed


def page_of(qs: QuerySet[ActivityEvent], *, older_than, newer_than):
    """Newest first by the account's sequence number, keyset both ways (no OFFSET)."""
    if newer_than is not None:
        events = list(qs.filter(seq__gt=newer_than).order_by("seq")[: PAGE_SIZE + 1])
        has_newer = len(events) > PAGE_SIZE
        events = list(reversed(events[:PAGE_SIZE]))
        has_older = bool(events) and qs.filter(seq__lt=events[-1].seq).exists()
        return events, has_newer, has_older
    qs_page = qs.filter(seq__lt=older_than) if older_than is not None else qs
    events = list(qs_page.order_by("-seq")[: PAGE_SIZE + 1])
    has_older = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    has_newer = older_than is not None and bool(events)
    return events, has_newer, has_older


def performers(qs: QuerySet[ActivityEvent]) -> tuple[list[dict], bool]:
    """Who performed the chosen type, most often first (ACT-3 "who performed X").

    Counted over the latest PERFORMERS_SCAN matching events, so a type that fills millions
    of rows still answers at once; returns (rows, whether older events were left out).
    """
    latest = qs.order_by("-seq").values("pk")[:PERFORMERS_SCAN]
    capped = qs.order_by("-seq")[PERFORMERS_SCAN : PERFORMERS_SCAN + 1].exists()
    counted = ActivityEvent.objects.filter(pk__in=Subquery(latest)) if capped else qs
    rows = list(
        counted.order_by()
        .values("actor_kind", "actor_member_id", "actor_display")
        .annotate(times=Count("id"))
        .order_by("-times", "actor_display")[:ACTORS_SHOWN]
    )
    return rows, capped


def _shown(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value) if value != "" else _("(empty)")


def changed_fields(event: ActivityEvent) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) per field, so a reader sees "phone: old → new"."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        (
            key,
            _shown(before[key]) if key in before else None,
            _shown(after[key]) if key in after else None,
        )
        for key in keys
    ]


def member_choices(account) -> list[Member] | None:
    """Members for a select; None when there are too many to list (type an email instead)."""
    members = list(
        Member.objects.in_account(account)
        .order_by("display_name", "id")
        .only("id", "display_name", "email")[: MEMBER_SELECT_LIMIT + 1]
    )
    return None if len(members) > MEMBER_SELECT_LIMIT else members


def _query_string(raw: dict[str, str], **extra) -> str:
    from django.utils.http import urlencode

    values = {k: v for k, v in raw.items() if v}
    values.update({k: v for k, v in extra.items() if v is not None})
    return urlencode(values)


@require_safe
@console_page("audit.view")
def activity_log(request):
    zone = viewer_zone(request)
    filters = parse_filters(request.GET, zone, request.actor.account)
    events, has_newer, has_older, who, who_capped = [], False, False, [], False
    if not filters.errors:
        qs = filter_activity(activity_visible_to(request.actor), **filters.query)
        older_than = parse_id(request.GET.get("older_than", ""))
        newer_than = parse_id(request.GET.get("newer_than", ""))
        events, has_newer, has_older = page_of(qs, older_than=older_than, newer_than=newer_than)
        if "type" in filters.query:
            who, who_capped = performers(qs)
        for event in events:
            event.changes = changed_fields(event)
            event.label = (
                registry.get(event.action).label
                if registry.is_registered(event.action)
                else event.action
            )
    status = 422 if filters.errors else 200
    context = {
        "filters": filters,
        "types": registry.all_types(),
        "members": member_choices(request.actor.account),
        "events": events,
        "who": who,
        "who_capped": who_capped,
        "performers_scan": PERFORMERS_SCAN,
        "zone": zone,
        "filtered": any(filters.raw.values()),
        "can_export": policy.can(request.actor, "data.export"),
        "newer_url": "?" + _query_string(filters.raw, newer_than=events[0].seq)
        if has_newer and events
        else None,
        "older_url": "?" + _query_string(filters.raw, older_than=events[-1].seq)
        if has_older and events
        else None,
        "type_label": registry.get(filters.query["type"]).label if "type" in filters.query else "",
    }
    return render(request, "console/activity/log.html", context, status=status)


@require_POST
@console_page("audit.view")
def activity_export(request):
    zone = viewer_zone(request)
    filters = parse_filters(request.POST, zone, request.actor.account)
    fmt = request.POST.get("format", "")
    if filters.errors:
        raise_errors = "; ".join(f"{k}: {v}" for k, v in filters.errors.items())
        return render(
            request,
            "console/activity/export_refused.html",
            {"message": _("The filters are not valid: %(problems)s") % {"problems": raise_errors}},
            status=422,
        )
    try:
        events = export_activity(actor=request.actor, format=fmt, **filters.query)
    except ValidationFailed as error:
        return render(
            request, "console/activity/export_refused.html", {"message": error.message}, status=422
        )
    stamp = datetime.now(tz=zone).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in iter_activity_csv(events)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in iter_activity_json(events)),
            content_type="application/json",
        )
    response["Content-Disposition"] = f'attachment; filename="activity-{stamp}.{fmt}"'
    return response
