"""/work-events, /members/{id}/presence, /members/{id}/performance, /teams/{id}/performance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from crewbase.access import policy
from crewbase.api import lookups
from crewbase.api.schemas import MAX_ID, Error, Input
from crewbase.core.errors import NotFound
from crewbase.org.models import Team
from crewbase.people.models import Member
from crewbase.work import ingest, performance, presence

router = Router(tags=["work"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 413, 422)}


class WorkEventsIn(Input):
    events: list[Any] = Field(
        max_length=ingest.MAX_EVENTS,
        description=(
            "Up to 1,000 events. Each: event_id (the host's id; a repeat is a duplicate), "
            "type (ticket_handled, reply_sent, call_handled, ticket_resolved, csat), "
            "member_id or member_email, occurred_at (ISO 8601, default now), "
            "response_seconds (ticket_resolved), score 1-5 (csat), ticket_id (optional)."
        ),
    )


class EventResultOut(Schema):
    index: int
    event_id: str | None
    status: str = Field(description="accepted, duplicate or rejected")
    errors: dict[str, str]


class WorkEventsOut(Schema):
    accepted: int
    duplicates: int
    rejected: int
    results: list[EventResultOut]


@router.post("/work-events", response={200: WorkEventsOut, 207: WorkEventsOut, **ERRORS})
def post_work_events(request, payload: WorkEventsIn):
    """200 when every event is stored or a duplicate; 207 when some were rejected (see results)."""
    report = ingest.ingest_work_events(actor=request.auth, events=payload.events)
    body = {
        "accepted": report.count("accepted"),
        "duplicates": report.count("duplicate"),
        "rejected": report.count("rejected"),
        "results": report.results,
    }
    return Status(207 if body["rejected"] else 200, body)


class PresenceIn(Input):
    status: str = Field(description="online, away, offline, or auto (back to activity-based)")


class PresenceOut(Schema):
    member_id: int
    presence: str


@router.put("/members/{int:member_id}/presence", response={200: PresenceOut, **ERRORS})
def put_presence(request, member_id: int, payload: PresenceIn):
    # The host's token needs work_events.write only, not users.view: look up in the account.
    member = _member_in_account(request.auth, member_id)
    status = presence.set_presence(actor=request.auth, member=member, status=payload.status)
    return {"member_id": member.pk, "presence": status}


def _member_in_account(actor, member_id: int) -> Member:
    found = (
        Member.objects.filter(account=actor.account, pk=member_id).first()
        if member_id <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(gettext("No member with id %(id)s in this account.") % {"id": member_id})
    return found


class PeriodIn(Schema):
    from_: str | None = Field(None, alias="from", description="first day, YYYY-MM-DD")
    to: str | None = Field(None, description="last day, YYYY-MM-DD (inclusive)")


class DayOut(Schema):
    day: date
    handled: int
    resolved: int
    replies: int
    calls: int


class FiguresOut(Schema):
    start: date
    end: date
    tickets_handled: int
    tickets_resolved: int
    replies_sent: int
    calls_handled: int
    median_response_seconds: float | None
    csat_average: float | None
    csat_responses: int
    daily: list[DayOut]

    @staticmethod
    def resolve_start(figures):
        return figures.period.start

    @staticmethod
    def resolve_end(figures):
        return figures.period.end


@router.get("/members/{int:member_id}/performance", response={200: FiguresOut, **ERRORS})
def member_performance(request, member_id: int, period: Query[PeriodIn]):
    member = lookups.member(request.auth, member_id)
    chosen = performance.parse_period(period.from_, period.to)
    return performance.figures(request.auth, [member.pk], chosen)


@router.get("/teams/{int:team_id}/performance", response={200: FiguresOut, **ERRORS})
def team_performance(request, team_id: int, period: Query[PeriodIn]):
    team = (
        Team.objects.filter(account=request.auth.account, pk=team_id).first()
        if team_id <= MAX_ID
        else None
    )
    if team is None:
        raise NotFound(gettext("No team with id %(id)s in this account.") % {"id": team_id})
    policy.require(request.auth, "analytics.view", target=team)
    chosen = performance.parse_period(period.from_, period.to)
    member_ids = list(team.members.values_list("pk", flat=True))
    return performance.figures(request.auth, member_ids, chosen)
