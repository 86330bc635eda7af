"""The /api/v1 routes of this area: checklists, schedules, access review, explain, reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from crewbase.access import policy
from crewbase.api import lookups
from crewbase.api.schemas import Error, Id, Input, Text
from crewbase.core.errors import NotFound
from crewbase.governance import access_review, campaigns, checklists, explain, schedules
from crewbase.governance.models import ChecklistKind, ChecklistTick, ReviewItem
from crewbase.governance.onboarding import progress_for
from crewbase.people.models import DeactivationReason

router = Router(tags=["governance"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}


# --- checklist items ------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    position: int


class ItemIn(Input):
    kind: Literal["onboarding", "offboarding"]
    title: Text(300)


class ItemChange(Input):
    title: Text(300)


@router.get("/checklist-items", response={200: list[ItemOut], **ERRORS})
def list_items(request):
    policy.require(request.auth, "users.view")
    account = request.auth.account
    return checklists.items_of(account, ChecklistKind.ONBOARDING) + checklists.items_of(
        account, ChecklistKind.OFFBOARDING
    )


@router.post("/checklist-items", response={201: ItemOut, **ERRORS})
def create_item(request, payload: ItemIn):
    return Status(
        201, checklists.create_item(actor=request.auth, kind=payload.kind, title=payload.title)
    )


def _item(request, item_id: int):
    policy.require(request.auth, "users.view")
    return checklists.get_item(request.auth, item_id)


@router.patch("/checklist-items/{int:item_id}", response={200: ItemOut, **ERRORS})
def rename_item(request, item_id: int, payload: ItemChange):
    item = _item(request, item_id)
    return checklists.rename_item(actor=request.auth, item=item, title=payload.title)


@router.delete("/checklist-items/{int:item_id}", response={204: None, **ERRORS})
def delete_item(request, item_id: int):
    checklists.delete_item(actor=request.auth, item=_item(request, item_id))
    return Status(204, None)


class StepOut(Schema):
    key: str
    label: str
    done: bool
    manual: bool
    item_id: int | None
    ticked_by: str
    ticked_at: datetime | None


class ClosingOut(Schema):
    item_id: int
    title: str
    state: str  # "done", "skipped" or "open"
    ticked_by: str
    ticked_at: datetime | None


class ChecklistOut(Schema):
    onboarding_done: int
    onboarding_total: int
    onboarding_complete: bool
    onboarding: list[StepOut]
    offboarding: list[ClosingOut]


def _checklist(member) -> dict:
    progress = progress_for([member])[member.pk]
    ticks = checklists.ticks_for(member, ChecklistKind.OFFBOARDING)
    closing = []
    for item in checklists.items_of(member.account, ChecklistKind.OFFBOARDING):
        tick: ChecklistTick | None = ticks.get(item.pk)
        closing.append(
            {
                "item_id": item.pk,
                "title": item.title,
                "state": tick.state if tick else "open",
                "ticked_by": tick.ticked_by_display if tick else "",
                "ticked_at": tick.ticked_at if tick else None,
            }
        )
    return {
        "onboarding_done": progress.done,
        "onboarding_total": progress.total,
        "onboarding_complete": progress.complete,
        "onboarding": progress.steps,
        "offboarding": closing,
    }


@router.get("/members/{int:member_id}/checklist", response={200: ChecklistOut, **ERRORS})
def member_checklist(request, member_id: int):
    return _checklist(lookups.member(request.auth, member_id))


class TickIn(Input):
    state: Literal["done", "skipped", "open"] = Field(
        "done", description="done; skipped (closing items only); open removes the tick"
    )


@router.post(
    "/members/{int:member_id}/checklist/{int:item_id}", response={200: ChecklistOut, **ERRORS}
)
def tick_item(request, member_id: int, item_id: int, payload: TickIn | None = None):
    payload = payload or TickIn()
    member = lookups.member(request.auth, member_id)
    item = checklists.get_item(request.auth, item_id)
    checklists.set_tick(actor=request.auth, member=member, item=item, state=payload.state)
    return _checklist(member)


# --- scheduled deactivation / reactivation -------------------------------------------------


class ScheduleOut(Schema):
    id: int
    action: str
    run_at: datetime
    run_at_local: str
    time_zone: str
    reason: str
    reassign_to: int | None
    status: str
    outcome: str
    created_by: str

    @staticmethod
    def resolve_run_at_local(schedule):
        zone = schedules.local_zone(schedule.account)
        return schedule.run_at.astimezone(zone).isoformat(timespec="minutes")

    @staticmethod
    def resolve_time_zone(schedule):
        return schedules.local_zone(schedule.account).key

    @staticmethod
    def resolve_reassign_to(schedule):
        return schedule.reassign_to_id

    @staticmethod
    def resolve_created_by(schedule):
        return schedule.created_by_display


class SchedulesOut(Schema):
    pending: ScheduleOut | None
    history: list[ScheduleOut]


class ScheduleIn(Input):
    action: Literal["deactivate", "reactivate"]
    run_at: Text(40) = Field(
        description="Date and time in the account's time zone (2026-12-01T09:00), or with an offset"
    )
    reason: DeactivationReason | None = None
    reassign_to: Id | None = None


@router.get("/members/{int:member_id}/schedule", response={200: SchedulesOut, **ERRORS})
def get_schedule(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    policy.require(request.auth, "users.manage", target=member)
    return {"pending": schedules.pending_for(member), "history": schedules.history_for(member)}


@router.post("/members/{int:member_id}/schedule", response={200: ScheduleOut, **ERRORS})
def set_schedule(request, member_id: int, payload: ScheduleIn):
    member = lookups.member(request.auth, member_id)
    return schedules.schedule_change(
        actor=request.auth,
        member=member,
        action=payload.action,
        run_at=payload.run_at,
        reason=payload.reason.value if payload.reason else "",
        reassign_to=payload.reassign_to,
    )


@router.delete("/members/{int:member_id}/schedule", response={200: ScheduleOut, **ERRORS})
def cancel_schedule(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    return schedules.cancel_schedule(actor=request.auth, member=member)


# --- access review and explain --------------------------------------------------------------


class RowOut(Schema):
    member_id: int | None
    name: str
    email: str
    detail: str
    fix_label: str
    fix_url: str


class GroupOut(Schema):
    key: str
    title: str
    rows: list[RowOut]
    truncated: bool


class AccessReviewOut(Schema):
    inactive_days: int
    groups: list[GroupOut]


class ReviewParams(Schema):
    inactive_days: int = Field(access_review.DEFAULT_INACTIVE_DAYS, ge=1, le=3650)


@router.get("/access-review", response={200: AccessReviewOut, **ERRORS})
def get_access_review(request, params: Query[ReviewParams]):
    groups = access_review.build(request.auth, inactive_days=params.inactive_days)
    return {"inactive_days": params.inactive_days, "groups": groups}


class ExplainParams(Schema):
    permission: str = Field(
        ...,
        max_length=100,
        description="A permission key (tickets.delete) or an action (delete tickets)",
    )


class ExplainOut(Schema):
    member_id: int
    permission: str
    permission_label: str
    allowed: bool
    reason: str
    role: str
    is_owner: bool
    scope: str

    @staticmethod
    def resolve_member_id(answer):
        return answer.member.pk


@router.get("/members/{int:member_id}/explain", response={200: ExplainOut, **ERRORS})
def explain_permission(request, member_id: int, params: Query[ExplainParams]):
    member = lookups.member(request.auth, member_id)
    return explain.explain_member(actor=request.auth, member=member, asked=params.permission)


# --- review campaigns -----------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    scope: str
    scope_label: str
    reviewer_id: int | None
    started_by: str
    started_at: datetime
    due_at: datetime | None
    status: str
    open_items: int
    signed_off_by: str
    signed_off_at: datetime | None
    record_sha256: str
    record_signature: str

    @staticmethod
    def resolve_started_by(c):
        return c.started_by_display

    @staticmethod
    def resolve_open_items(c):
        return c.items.filter(decision="").count()

    @staticmethod
    def resolve_signed_off_by(c):
        return c.signed_off_by_display

    @staticmethod
    def resolve_record_sha256(c):
        return c.record_hash


class ItemDecisionOut(Schema):
    id: int
    member_id: int | None
    member_email: str
    member_display: str
    access: dict
    decision: str
    note: str
    detail: dict
    decided_by: str
    decided_at: datetime | None

    @staticmethod
    def resolve_decided_by(item):
        return item.decided_by_display


class CampaignDetailOut(CampaignOut):
    items: list[ItemDecisionOut]

    @staticmethod
    def resolve_items(c):
        return list(c.items.all())


class CampaignIn(Input):
    name: Text(300)
    scope: Literal["all", "role", "team"] = "all"
    role_id: Id | None = None
    team_id: Id | None = None
    reviewer_id: Id | None = None
    due_date: date | None = None


class DecisionIn(Input):
    decision: Literal["confirmed", "changed", "revoked"]
    role_id: Id | None = Field(None, description="The new role, for 'changed'")
    note: Text(500) = ""


@router.get("/reviews", response={200: list[CampaignOut], **ERRORS})
def list_reviews(request):
    return list(campaigns.campaigns_of(request.auth)[:200])


@router.post("/reviews", response={201: CampaignDetailOut, **ERRORS})
def start_review(request, payload: CampaignIn):
    campaign = campaigns.start_campaign(
        actor=request.auth,
        name=payload.name,
        scope=payload.scope,
        role_id=payload.role_id,
        team_id=payload.team_id,
        reviewer_id=payload.reviewer_id,
        due=payload.due_date,
    )
    return Status(201, campaign)


@router.get("/reviews/{int:review_id}", response={200: CampaignDetailOut, **ERRORS})
def get_review(request, review_id: int):
    return campaigns.get_campaign(request.auth, review_id)


@router.post(
    "/reviews/{int:review_id}/items/{int:item_id}", response={200: ItemDecisionOut, **ERRORS}
)
def decide_item(request, review_id: int, item_id: int, payload: DecisionIn):
    campaign = campaigns.get_campaign(request.auth, review_id)
    item = (
        ReviewItem.objects.filter(campaign=campaign, pk=item_id).first()
        if item_id < 2**63
        else None
    )
    if item is None:
        raise NotFound(gettext("No item %(id)s in this review.") % {"id": item_id})
    return campaigns.decide_item(
        actor=request.auth,
        item=item,
        decision=payload.decision,
        role_id=payload.role_id,
        note=payload.note,
    )


@router.post("/reviews/{int:review_id}/sign-off", response={200: CampaignDetailOut, **ERRORS})
def sign_off(request, review_id: int):
    campaign = campaigns.get_campaign(request.auth, review_id)
    return campaigns.sign_off(actor=request.auth, campaign=campaign)
