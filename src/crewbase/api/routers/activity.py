"""/activity: the account's log, a member's own activity, and exports (ACT-2, ACT-3)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from crewbase.access import policy
from crewbase.api import lookups
from crewbase.api.schemas import MAX_ID, Error
from crewbase.audit import export, registry, selectors
from crewbase.core.errors import ValidationFailed

router = Router(tags=["activity"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 422)}


class EventTypeOut(Schema):
    key: str
    label: str
    category: str


class EventOut(Schema):
    seq: int
    created_at: datetime
    action: str
    label: str
    actor_kind: str
    actor_member_id: int | None
    actor: str = Field(alias="actor_display")
    target_type: str
    target_id: int | None
    target: str = Field(alias="target_display")
    before: dict | list | None
    after: dict | list | None
    ip_address: str | None
    user_agent: str

    @staticmethod
    def resolve_label(event):
        return registry.get(event.action).label if registry.is_registered(event.action) else ""


class EventPageOut(Schema):
    items: list[EventOut]
    next_cursor: str | None


class ActivityFilters(Schema):
    type: str | None = Field(None, max_length=64, description="Activity type, e.g. member.invited")
    actor: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the member who acted")
    target_type: str | None = Field(None, max_length=32, description="e.g. member, role")
    target_id: int | None = Field(None, ge=1, le=MAX_ID)
    since: datetime | None = Field(None, description="From this time (inclusive)")
    until: datetime | None = Field(None, description="Up to this time (exclusive)")

    def selector_kwargs(self) -> dict:
        if self.type and not registry.is_registered(self.type):
            raise ValidationFailed(
                {"query.type": _("unknown activity type %(type)s") % {"type": repr(self.type)}}
            )
        return {
            "type": self.type,
            "actor_member_id": self.actor,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "since": _as_utc(self.since, "query.since"),
            "until": _as_utc(self.until, "query.until"),
        }


class Paging(Schema):
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=500)


def _as_utc(value: datetime | None, field: str) -> datetime | None:
    """Times without a zone are read as UTC; times no database can hold are refused."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed({field: _("is out of range")}) from None


@router.get("/activity", response={200: EventPageOut, **ERRORS}, summary="The activity log")
def account_activity(request, filters: Query[ActivityFilters], paging: Query[Paging]):
    policy.require(request.auth, "audit.view")
    events = selectors.filter_activity(
        selectors.activity_visible_to(request.auth), **filters.selector_kwargs()
    )
    items, next_cursor = selectors.page_by_seq(events, after_seq=paging.cursor, limit=paging.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/activity/types", response={200: list[EventTypeOut], **ERRORS})
def activity_types(request):
    """Every activity type the log can hold, for the account-wide filter."""
    return registry.all_types()


class ExportFormat(Schema):
    format: str = Field("csv", pattern="^(csv|json)$", description="csv or json")


@router.get(
    "/activity/export",
    response={200: None, **ERRORS},
    summary="Export the activity log (CSV or JSON), streamed",
    openapi_extra={
        "responses": {
            200: {
                "description": "The events, oldest first",
                "content": {"text/csv": {}, "application/json": {}},
            }
        }
    },
)
def export_activity(request, filters: Query[ActivityFilters], fmt: Query[ExportFormat]):
    events = export.export_activity(
        actor=request.auth, format=fmt.format, **filters.selector_kwargs()
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if fmt.format == "csv":
        response = StreamingHttpResponse(
            export.iter_activity_csv(events), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            export.iter_activity_json(events), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="activity-{stamp}.{fmt.format}"'
    return response


class TypeFilter(Schema):
    type: str | None = Field(None, max_length=64)


@router.get("/members/{int:member_id}/activity", response={200: EventPageOut, **ERRORS})
def member_activity(request, member_id: int, only: Query[TypeFilter], paging: Query[Paging]):
    """What the member did. Anyone sees their own; someone else's needs audit.view (ACT-2)."""
    member = lookups.member(request.auth, member_id)
    events = selectors.member_activity(request.auth, member, type=only.type)
    items, next_cursor = selectors.page_by_seq(events, after_seq=paging.cursor, limit=paging.limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/members/{int:member_id}/activity/types", response={200: list[EventTypeOut], **ERRORS})
def member_activity_types(request, member_id: int):
    """Only the types this member actually performed, for the profile's filter (ACT-2)."""
    member = lookups.member(request.auth, member_id)
    selectors.member_activity(request.auth, member)  # the same permission check
    return selectors.performed_types(member)
