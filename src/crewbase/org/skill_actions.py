"""Skills: define them, assign them to members with a level, bulk-add them (ORG-2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.org.actions import MANAGE, clean_name, members_in_account
from crewbase.org.models import SKILL_LEVEL_HIGHEST, SKILL_LEVEL_LOWEST, MemberSkill, Skill
from crewbase.people.models import Member, MemberStatus


def _is_whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_range(min_level, max_level) -> dict:
    bounds = {"low": SKILL_LEVEL_LOWEST, "high": SKILL_LEVEL_HIGHEST}
    errors = {}
    for field, value in (("min_level", min_level), ("max_level", max_level)):
        if not _is_whole_number(value) or not SKILL_LEVEL_LOWEST <= value <= SKILL_LEVEL_HIGHEST:
            errors[field] = _("must be a whole number between %(low)s and %(high)s") % bounds
    if not errors and min_level > max_level:
        errors["max_level"] = _("must be at least min_level (%(min)s)") % {"min": min_level}
    if errors:
        raise ValidationFailed(errors)
    return {"min_level": min_level, "max_level": max_level}


def clean_level(skill: Skill, level) -> int | None:
    """The level to store for `skill`, or a 422 on `level` that states the allowed range."""
    facts = {"skill": skill.name, "low": skill.min_level, "high": skill.max_level}
    if level is None:
        if skill.level_required:
            needs = _("'%(skill)s' needs a level: a whole number from %(low)s to %(high)s")
            raise ValidationFailed({"level": needs % facts})
        return None
    if not _is_whole_number(level) or not skill.min_level <= level <= skill.max_level:
        raise ValidationFailed(
            {"level": _("must be a whole number from %(low)s to %(high)s for '%(skill)s'") % facts}
        )
    return level


def create_skill(
    *,
    actor: Actor,
    name,
    level_required=False,
    min_level=SKILL_LEVEL_LOWEST,
    max_level=SKILL_LEVEL_HIGHEST,
) -> Skill:
    policy.require(actor, MANAGE)
    if not isinstance(level_required, bool):
        raise ValidationFailed({"level_required": _("must be true or false")})
    cleaned = {
        "name": clean_name(Skill, actor, name, kind="skill"),
        "level_required": level_required,
        **_clean_range(min_level, max_level),
    }
    with transaction.atomic():
        skill = Skill.objects.create(account=actor.account, **cleaned)
        record(actor, "skill.created", skill, after=cleaned)
        return skill


def _assignments_outside(skill: Skill, cleaned: dict) -> dict:
    """Refusals for a change that would leave current holders with a level it no longer allows."""
    holders = skill.assignments
    low, high = cleaned["min_level"], cleaned["max_level"]
    errors = {}
    outside = holders.filter(level__isnull=False).exclude(level__range=(low, high)).count()
    if outside:
        errors["min_level"] = (
            f"{outside} member(s) hold '{skill.name}' at a level outside {low} to {high}; "
            "change their levels first"
        )
    if cleaned["level_required"] and holders.filter(level__isnull=True).exists():
        errors["level_required"] = (
            "some members hold this skill without a level; give them one first"
        )
    return errors


def update_skill(
    *, actor: Actor, skill: Skill, name=None, level_required=None, min_level=None, max_level=None
) -> Skill:
    policy.require(actor, MANAGE, target=skill)
    if level_required is not None and not isinstance(level_required, bool):
        raise ValidationFailed({"level_required": _("must be true or false")})
    cleaned = {
        "name": skill.name
        if name is None
        else clean_name(Skill, actor, name, kind="skill", existing=skill),
        "level_required": skill.level_required if level_required is None else level_required,
        **_clean_range(
            skill.min_level if min_level is None else min_level,
            skill.max_level if max_level is None else max_level,
        ),
    }
    with transaction.atomic():
        skill = Skill.objects.select_for_update().get(pk=skill.pk)
        errors = _assignments_outside(skill, cleaned)
        if errors:
            raise ValidationFailed(errors)
        before = {key: getattr(skill, key) for key in cleaned}
        if before == cleaned:
            return skill
        for key, value in cleaned.items():
            setattr(skill, key, value)
        skill.save()
        record(actor, "skill.updated", skill, before=before, after=cleaned)
        return skill


def delete_skill(*, actor: Actor, skill: Skill) -> None:
    policy.require(actor, MANAGE, target=skill)
    with transaction.atomic():
        holders = skill.assignments.count()
        record(actor, "skill.deleted", skill, before={"name": skill.name, "members": holders})
        skill.delete()


def _skill_of_account(actor: Actor, skill_id) -> Skill:
    skill = (
        Skill.objects.filter(account=actor.account, pk=skill_id).first()
        if _is_whole_number(skill_id)
        else None
    )
    if skill is None:
        raise ValidationFailed({"skill_id": _("no such skill in this account")})
    return skill


def assign_skill(*, actor: Actor, member: Member, skill_id, level=None) -> MemberSkill:
    """Gives `member` the skill at `level`; assigning again changes the level."""
    policy.require(actor, MANAGE, target=member)
    skill = _skill_of_account(actor, skill_id)
    level = clean_level(skill, level)
    with transaction.atomic():
        assignment, created = MemberSkill.objects.select_for_update().get_or_create(
            skill=skill, member=member, defaults={"level": level}
        )
        if not created and assignment.level == level:
            return assignment
        before = None if created else {"skill": skill.name, "level": assignment.level}
        assignment.level = level
        assignment.save(update_fields=["level"])
        record(
            actor,
            "skill.assigned",
            member,
            before=before,
            after={"skill": skill.name, "level": level},
        )
        return assignment


def remove_skill(*, actor: Actor, member: Member, skill_id) -> bool:
    """Takes the skill away; False when the member did not have it."""
    policy.require(actor, MANAGE, target=member)
    skill = _skill_of_account(actor, skill_id)
    with transaction.atomic():
        assignment = MemberSkill.objects.filter(skill=skill, member=member).first()
        if assignment is None:
            return False
        record(
            actor,
            "skill.removed",
            member,
            before={"skill": skill.name, "level": assignment.level},
        )
        assignment.delete()
        return True


@dataclass(frozen=True)
class BulkOutcome:
    member: Member
    # "assigned" (new), "updated" (level changed) or "unchanged".
    result: str


def bulk_assign_skill(
    *, actor: Actor, skill: Skill, member_ids=None, all_members=False, level=None
) -> list[BulkOutcome]:
    """Adds `skill` at `level` to the listed members (or every active member); all or nothing."""
    policy.require(actor, MANAGE, target=skill)
    level = clean_level(skill, level)
    if all_members:
        if member_ids:
            raise ValidationFailed({"member_ids": _("give member ids or all_members, not both")})
        members = list(
            Member.objects.filter(account=actor.account, status=MemberStatus.ACTIVE).order_by("pk")
        )
    else:
        if not member_ids:
            raise ValidationFailed(
                {"member_ids": _("list at least one member, or set all_members")}
            )
        members = members_in_account(actor, member_ids)
    with transaction.atomic():
        current = {
            a.member_id: a
            # Every holder of the skill rather than an IN list: "all members" may be very many.
            for a in MemberSkill.objects.select_for_update().filter(skill=skill)
        }
        outcomes: list[BulkOutcome] = []
        new_rows = []
        for member in members:
            existing = current.get(member.pk)
            if existing is None:
                new_rows.append(MemberSkill(skill=skill, member=member, level=level))
                outcomes.append(BulkOutcome(member, "assigned"))
            elif existing.level != level:
                existing.level = level
                existing.save(update_fields=["level"])
                outcomes.append(BulkOutcome(member, "updated"))
            else:
                outcomes.append(BulkOutcome(member, "unchanged"))
        MemberSkill.objects.bulk_create(new_rows, batch_size=500)
        changed = [o.member.email for o in outcomes if o.result != "unchanged"]
        if changed:
            record(
                actor,
                "skill.bulk_assigned",
                skill,
                # The count is exact; the names are capped so one event stays readable.
                after={"level": level, "count": len(changed), "members": changed[:100]},
            )
        return outcomes
