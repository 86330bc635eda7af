"""/teams, /divisions, /queues, /skills, /members/{id}/skills and /tickets (ORG-1 … ORG-5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from django.http import StreamingHttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictInt, StrictStr

from crewbase.api import lookups
from crewbase.api.schemas import Error, Flag, Id, Input, MemberRef, Text
from crewbase.org import actions, selectors, skill_actions, ticket_actions
from crewbase.org.models import Division, Queue, Skill, Team
from crewbase.org.tickets import chat_access_of, tickets_visible_to, visible_ticket

router = Router(tags=["organisation"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 409, 422)}

MemberIds = Annotated[list[Id], Field(max_length=1000)]
# Strict whole numbers; the range is checked by the action so the message can state it.
Level = StrictInt | StrictStr | None


class GroupOut(Schema):
    id: int
    name: str
    description: str
    member_count: int
    created_at: datetime


class GroupDetailOut(GroupOut):
    members: list[MemberRef]

    @staticmethod
    def resolve_members(group):
        return selectors.members_of(group)


class GroupIn(Input):
    name: Text(120)
    description: Text(500) = ""


class GroupChanges(Input):
    name: Text(120) | None = None
    description: Text(500) | None = None


class MemberIdsIn(Input):
    member_ids: MemberIds


class MembershipChangeOut(Schema):
    changed: list[MemberRef]
    group: GroupDetailOut


def _group_routes(prefix: str, model, kind: str, create, update, delete, add, remove) -> None:
    """The same six endpoints for teams and divisions, which share one shape."""
    plural = prefix.strip("/")

    @router.get(prefix, response={200: list[GroupOut], **ERRORS}, operation_id=f"list_{plural}")
    def list_groups(request):
        return selectors.list_of(model, request.auth)

    @router.post(prefix, response={201: GroupDetailOut, **ERRORS}, operation_id=f"create_{kind}")
    def create_group(request, payload: GroupIn):
        group = create(actor=request.auth, **payload.dict())
        return Status(201, selectors.one_of(model, request.auth, group.pk))

    one = prefix + "/{int:group_id}"

    @router.get(one, response={200: GroupDetailOut, **ERRORS}, operation_id=f"get_{kind}")
    def get_group(request, group_id: int):
        return selectors.one_of(model, request.auth, group_id)

    @router.patch(one, response={200: GroupDetailOut, **ERRORS}, operation_id=f"update_{kind}")
    def update_group(request, group_id: int, payload: GroupChanges):
        group = selectors.one_of(model, request.auth, group_id)
        update(request.auth, group, **payload.dict(exclude_unset=True))
        return selectors.one_of(model, request.auth, group_id)

    @router.delete(one, response={204: None, **ERRORS}, operation_id=f"delete_{kind}")
    def delete_group(request, group_id: int):
        delete(request.auth, selectors.one_of(model, request.auth, group_id))
        return Status(204, None)

    @router.post(
        one + "/members",
        response={200: MembershipChangeOut, **ERRORS},
        operation_id=f"add_{kind}_members",
    )
    def add_members(request, group_id: int, payload: MemberIdsIn):
        group = selectors.one_of(model, request.auth, group_id)
        added = add(request.auth, group, payload.member_ids)
        return {"changed": added, "group": selectors.one_of(model, request.auth, group_id)}

    @router.delete(
        one + "/members",
        response={200: MembershipChangeOut, **ERRORS},
        operation_id=f"remove_{kind}_members",
    )
    def remove_members(request, group_id: int, payload: MemberIdsIn):
        group = selectors.one_of(model, request.auth, group_id)
        removed = remove(request.auth, group, payload.member_ids)
        return {"changed": removed, "group": selectors.one_of(model, request.auth, group_id)}


_group_routes(
    "/teams",
    Team,
    "team",
    create=actions.create_team,
    update=lambda actor, team, **changes: actions.update_team(actor=actor, team=team, **changes),
    delete=lambda actor, team: actions.delete_team(actor=actor, team=team),
    add=lambda actor, team, ids: actions.add_team_members(actor=actor, team=team, member_ids=ids),
    remove=lambda actor, team, ids: actions.remove_team_members(
        actor=actor, team=team, member_ids=ids
    ),
)
_group_routes(
    "/divisions",
    Division,
    "division",
    create=actions.create_division,
    update=lambda actor, division, **changes: actions.update_division(
        actor=actor, division=division, **changes
    ),
    delete=lambda actor, division: actions.delete_division(actor=actor, division=division),
    add=lambda actor, division, ids: actions.add_division_members(
        actor=actor, division=division, member_ids=ids
    ),
    remove=lambda actor, division, ids: actions.remove_division_members(
        actor=actor, division=division, member_ids=ids
    ),
)


# --- queues --------------------------------------------------------------------------------


@router.get("/queues", response={200: list[GroupOut], **ERRORS})
def list_queues(request):
    return selectors.list_of(Queue, request.auth)


@router.post("/queues", response={201: GroupDetailOut, **ERRORS})
def create_queue(request, payload: GroupIn):
    queue = actions.create_queue(actor=request.auth, **payload.dict())
    return Status(201, selectors.one_of(Queue, request.auth, queue.pk))


@router.get("/queues/{int:queue_id}", response={200: GroupDetailOut, **ERRORS})
def get_queue(request, queue_id: int):
    return selectors.one_of(Queue, request.auth, queue_id)


@router.patch("/queues/{int:queue_id}", response={200: GroupDetailOut, **ERRORS})
def update_queue(request, queue_id: int, payload: GroupChanges):
    queue = selectors.one_of(Queue, request.auth, queue_id)
    actions.update_queue(actor=request.auth, queue=queue, **payload.dict(exclude_unset=True))
    return selectors.one_of(Queue, request.auth, queue_id)


@router.delete("/queues/{int:queue_id}", response={204: None, **ERRORS})
def delete_queue(request, queue_id: int):
    actions.delete_queue(actor=request.auth, queue=selectors.one_of(Queue, request.auth, queue_id))
    return Status(204, None)


@router.put("/queues/{int:queue_id}/members", response={200: GroupDetailOut, **ERRORS})
def set_queue_members(request, queue_id: int, payload: MemberIdsIn):
    queue = selectors.one_of(Queue, request.auth, queue_id)
    actions.set_queue_members(actor=request.auth, queue=queue, member_ids=payload.member_ids)
    return selectors.one_of(Queue, request.auth, queue_id)


# --- skills --------------------------------------------------------------------------------


class SkillOut(Schema):
    id: int
    name: str
    level_required: bool
    min_level: int
    max_level: int
    member_count: int
    created_at: datetime


class SkillIn(Input):
    name: Text(120)
    level_required: Flag = False
    min_level: StrictInt = 1
    max_level: StrictInt = 100


@router.get("/skills", response={200: list[SkillOut], **ERRORS})
def list_skills(request):
    return selectors.list_of(Skill, request.auth)


@router.post("/skills", response={201: SkillOut, **ERRORS})
def create_skill(request, payload: SkillIn):
    skill = skill_actions.create_skill(actor=request.auth, **payload.dict())
    return Status(201, selectors.one_of(Skill, request.auth, skill.pk))


@router.get("/skills/{int:skill_id}", response={200: SkillOut, **ERRORS})
def get_skill(request, skill_id: int):
    return selectors.one_of(Skill, request.auth, skill_id)


class SkillChanges(Input):
    name: Text(120) | None = None
    level_required: Flag | None = None
    min_level: StrictInt | None = None
    max_level: StrictInt | None = None


@router.patch("/skills/{int:skill_id}", response={200: SkillOut, **ERRORS})
def update_skill(request, skill_id: int, payload: SkillChanges):
    skill = selectors.one_of(Skill, request.auth, skill_id)
    skill_actions.update_skill(actor=request.auth, skill=skill, **payload.dict(exclude_unset=True))
    return selectors.one_of(Skill, request.auth, skill_id)


@router.delete("/skills/{int:skill_id}", response={204: None, **ERRORS})
def delete_skill(request, skill_id: int):
    skill = selectors.one_of(Skill, request.auth, skill_id)
    skill_actions.delete_skill(actor=request.auth, skill=skill)
    return Status(204, None)


class BulkAssignIn(Input):
    member_ids: MemberIds = []
    all_members: Flag = Field(False, description="Every active member of the account")
    level: Level = None


class BulkResultOut(Schema):
    member: MemberRef
    result: str


@router.post("/skills/{int:skill_id}/bulk-assign", response={200: list[BulkResultOut], **ERRORS})
def bulk_assign_skill(request, skill_id: int, payload: BulkAssignIn):
    skill = selectors.one_of(Skill, request.auth, skill_id)
    return skill_actions.bulk_assign_skill(actor=request.auth, skill=skill, **payload.dict())


class MemberSkillOut(Schema):
    skill_id: int
    name: str
    level: int | None

    @staticmethod
    def resolve_name(assignment):
        return assignment.skill.name


class SkillAssignIn(Input):
    skill_id: Id
    level: Level = None


class SkillRemoveIn(Input):
    skill_id: Id


@router.get("/members/{int:member_id}/skills", response={200: list[MemberSkillOut], **ERRORS})
def member_skills(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    return selectors.skills_of_member(request.auth, member)


@router.post("/members/{int:member_id}/skills", response={200: list[MemberSkillOut], **ERRORS})
def assign_skill(request, member_id: int, payload: SkillAssignIn):
    member = lookups.member(request.auth, member_id)
    skill_actions.assign_skill(actor=request.auth, member=member, **payload.dict())
    return selectors.skills_of_member(request.auth, member)


@router.delete("/members/{int:member_id}/skills", response={200: list[MemberSkillOut], **ERRORS})
def remove_skill(request, member_id: int, payload: SkillRemoveIn):
    member = lookups.member(request.auth, member_id)
    skill_actions.remove_skill(actor=request.auth, member=member, skill_id=payload.skill_id)
    return selectors.skills_of_member(request.auth, member)


# --- tickets (ORG-5): what each caller sees is decided by org/tickets.py ---------------------


class NamedRef(Schema):
    id: int
    name: str


class TicketOut(Schema):
    id: int
    subject: str
    status: str
    assignee: MemberRef | None
    queue: NamedRef | None
    team: NamedRef | None
    division: NamedRef | None
    created_at: datetime
    updated_at: datetime


class TicketPageOut(Schema):
    items: list[TicketOut]
    next_cursor: int | None = Field(description="Pass as `after` for the next page")


class TicketFilters(Schema):
    status: Literal["open", "pending", "solved", "closed"] | None = None
    after: int | None = Field(None, ge=0, le=2**63 - 1, description="Tickets with a larger id")
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/tickets",
    response={200: TicketPageOut, **ERRORS},
    summary="The tickets the caller may see (assigned, team, all, or their divisions)",
)
def list_tickets(request, filters: Query[TicketFilters]):
    tickets = tickets_visible_to(request.auth)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.after is not None:
        tickets = tickets.filter(pk__gt=filters.after)
    rows = list(
        tickets.select_related("assignee", "queue", "team", "division").order_by("pk")[
            : filters.limit + 1
        ]
    )
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": rows, "next_cursor": rows[-1].pk if more else None}


@router.get(
    "/tickets/export",
    response={200: None, **ERRORS},
    summary="Export the tickets the caller sees as CSV (needs data.export)",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def export_tickets(request):
    tickets = ticket_actions.export_tickets(actor=request.auth)
    response = StreamingHttpResponse(
        ticket_actions.iter_tickets_csv(tickets), content_type="text/csv; charset=utf-8"
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="tickets-{stamp}.csv"'
    return response


@router.get("/tickets/{int:ticket_id}", response={200: TicketOut, **ERRORS})
def get_ticket(request, ticket_id: int):
    return visible_ticket(request.auth, ticket_id)


@router.delete("/tickets/{int:ticket_id}", response={204: None, **ERRORS})
def delete_ticket(request, ticket_id: int):
    ticket_actions.delete_ticket(actor=request.auth, ticket_id=ticket_id)
    return Status(204, None)


# --- a supervisor's chat access (ORG-4) -------------------------------------------------------


class ChatAccessOut(Schema):
    chat_access: Literal["all", "assigned"] = Field(
        description="'all' divisions, or 'assigned' divisions only: narrows tickets.view_all"
    )


class ChatAccessIn(Input):
    chat_access: Literal["all", "assigned"]


@router.get("/members/{int:member_id}/chat-access", response={200: ChatAccessOut, **ERRORS})
def get_chat_access(request, member_id: int):
    member = lookups.member(request.auth, member_id)
    return {"chat_access": chat_access_of(member)}


@router.put("/members/{int:member_id}/chat-access", response={200: ChatAccessOut, **ERRORS})
def set_chat_access(request, member_id: int, payload: ChatAccessIn):
    member = lookups.member(request.auth, member_id)
    scope = ticket_actions.set_chat_access(
        actor=request.auth, member=member, scope=payload.chat_access
    )
    return {"chat_access": scope}
