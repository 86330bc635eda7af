"""/teams, /divisions, /queues, /skills and /members/{id}/skills (ORG-1 … ORG-4)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field, StrictInt, StrictStr

from crewbase.api import lookups
from crewbase.api.schemas import Error, Flag, Id, Input, MemberRef, Text
from crewbase.org import actions, selectors, skill_actions
from crewbase.org.models import Division, Queue, Skill, Team

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
