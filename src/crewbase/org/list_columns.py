"""The users list filters by skill and level range (LIST-1, ORG-2): `skill=<id>`,
`skill_level=50-80` (or one level, `skill_level=60`).

Together they mean "holds this skill at a level from 50 to 80", not "holds this skill and
some skill at 50-80": the level filter reads the `skill` parameter too. Alone,
`skill_level` matches members holding any skill in the range. Both are subqueries on
indexed columns of the assignment table.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crewbase.org.models import SKILL_LEVEL_HIGHEST, SKILL_LEVEL_LOWEST, MemberSkill, Skill
from crewbase.people.list_extensions import MemberFilter, register_filter

LEVEL_TEXT = re.compile(r"^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?$")
LEVEL_BANDS = ("1-25", "26-50", "51-75", "76-100")


def _skill_id(actor, raw) -> int | None:
    """The id of one of the account's skills named by `raw`, else None."""
    raw = str(raw or "").strip()
    skill_id = int(raw) if raw.isdecimal() and len(raw) <= 18 else None
    if skill_id is None or not Skill.objects.filter(account=actor.account, pk=skill_id).exists():
        return None
    return skill_id


def _parse_skill(actor, raw: str, errors: dict) -> Q | None:
    skill_id = _skill_id(actor, raw)
    if skill_id is None:
        errors["skill"] = _("no such skill in this account")
        return None
    return Q(pk__in=MemberSkill.objects.filter(skill_id=skill_id).values("member_id"))


def parse_level_range(raw: str) -> tuple[int, int] | None:
    """(low, high) from "60" or "50-80" within 1..100, low <= high; None when malformed."""
    found = LEVEL_TEXT.match(raw)
    if found is None:
        return None
    low = int(found.group(1))
    high = int(found.group(2)) if found.group(2) is not None else low
    if not SKILL_LEVEL_LOWEST <= low <= high <= SKILL_LEVEL_HIGHEST:
        return None
    return low, high


def _parse_level(actor, raw: str, errors: dict, *, others: dict) -> Q | None:
    bounds = parse_level_range(raw)
    if bounds is None:
        errors["skill_level"] = _(
            "must be a level from %(low)s to %(high)s or a range such as 50-80 (lowest first)"
        ) % {"low": SKILL_LEVEL_LOWEST, "high": SKILL_LEVEL_HIGHEST}
        return None
    held = MemberSkill.objects.filter(level__range=bounds)
    skill_id = _skill_id(actor, others.get("skill"))
    if skill_id is not None:  # a bad `skill` is reported by its own filter
        held = held.filter(skill_id=skill_id)
    return Q(pk__in=held.values("member_id"))


def _skill_choices(account) -> list[tuple[str, str]]:
    skills = Skill.objects.filter(account=account).order_by("name", "pk")
    return [("", _("Any skill")), *((str(s.pk), s.name) for s in skills.only("pk", "name"))]


def _level_choices(account) -> list[tuple[str, str]]:
    # Labels are built per request, in the reader's language.
    bands = [(band, _("Level %(band)s") % {"band": band}) for band in LEVEL_BANDS]
    return [("", _("Any level")), *bands]


register_filter(
    MemberFilter(
        name="skill",
        label=_("Skill"),
        parse=_parse_skill,
        choices=_skill_choices,
        description="id of a skill the member holds",
    )
)
register_filter(
    MemberFilter(
        name="skill_level",
        label=_("Skill level"),
        parse=_parse_level,
        choices=_level_choices,
        reads=("skill",),
        description="level of the chosen skill: one level (60) or a range (50-80), 1 to 100",
    )
)
