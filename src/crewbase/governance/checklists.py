"""Manual checklist items per account, and ticking them for a member (LIFE-6, LIFE-8).

Items are managed with `users.manage`. Ticking is for admins and supervisors: `users.manage`
or `live.monitor` (the permission that makes a supervisor a supervisor, ROLE-1).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, PermissionDenied, ValidationFailed
from crewbase.governance.models import ChecklistItem, ChecklistKind, ChecklistTick, TickState
from crewbase.people.actions import limits
from crewbase.people.models import Member

MAX_ITEMS_PER_KIND = 50
TICKERS = ("users.manage", "live.monitor")


def require_ticker(actor: Actor, target=None) -> None:
    if target is not None:
        policy.ensure_same_account(actor, target)
    if not any(policy.can(actor, perm) for perm in TICKERS):
        raise PermissionDenied(
            gettext(
                "You need the permission 'users.manage' or 'live.monitor' (admins and "
                "supervisors) to tick checklist items."
            )
        )


def items_of(account, kind: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(account=account, kind=kind))


def get_item(actor: Actor, item_id) -> ChecklistItem:
    item = (
        ChecklistItem.objects.filter(account=actor.account, pk=item_id).first()
        if isinstance(item_id, int) and 0 < item_id < 2**63
        else None
    )
    if item is None:
        raise NotFound(
            gettext("No checklist item with id %(id)s in this account.") % {"id": item_id}
        )
    return item


def _clean_title(title) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationFailed({"title": gettext("is required")})
    title = " ".join(title.split())
    if len(title) > 200:
        raise ValidationFailed(
            {"title": gettext("must be at most %(limit)s characters") % {"limit": 200}}
        )
    return title


def create_item(*, actor: Actor, kind: str, title: str) -> ChecklistItem:
    policy.require(actor, "users.manage")
    if kind not in ChecklistKind.values:
        raise ValidationFailed(
            {
                "kind": gettext("must be one of: %(choices)s")
                % {"choices": ", ".join(ChecklistKind.values)}
            }
        )
    title = _clean_title(title)
    with transaction.atomic():
        limits.lock_account(actor.account)
        existing = ChecklistItem.objects.filter(account=actor.account, kind=kind)
        if existing.count() >= MAX_ITEMS_PER_KIND:
            raise ValidationFailed(
                {
                    "title": gettext("at most %(limit)s items per checklist")
                    % {"limit": MAX_ITEMS_PER_KIND}
                }
            )
        if existing.filter(title__iexact=title).exists():
            raise ValidationFailed(
                {"title": gettext("this checklist already has an item with that title")}
            )
        position = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
        item = ChecklistItem.objects.create(
            account=actor.account, kind=kind, title=title, position=position
        )
        record(actor, "checklist.item_created", item, after={"kind": kind, "title": title})
        return item


def rename_item(*, actor: Actor, item: ChecklistItem, title: str) -> ChecklistItem:
    policy.require(actor, "users.manage", target=item)
    title = _clean_title(title)
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if item.title == title:
            return item
        clash = ChecklistItem.objects.filter(
            account=item.account_id, kind=item.kind, title__iexact=title
        ).exclude(pk=item.pk)
        if clash.exists():
            raise ValidationFailed(
                {"title": gettext("this checklist already has an item with that title")}
            )
        before = item.title
        item.title = title
        item.save(update_fields=["title"])
        record(
            actor, "checklist.item_updated", item, before={"title": before}, after={"title": title}
        )
        return item


def delete_item(*, actor: Actor, item: ChecklistItem) -> None:
    """Its ticks go with it; the activity log keeps who ticked what."""
    policy.require(actor, "users.manage", target=item)
    with transaction.atomic():
        ticks = ChecklistTick.objects.filter(item=item).count()
        record(
            actor,
            "checklist.item_deleted",
            item,
            before={"kind": item.kind, "title": item.title, "ticks": ticks},
        )
        item.delete()


def set_tick(
    *, actor: Actor, member: Member, item: ChecklistItem, state: str
) -> ChecklistTick | None:
    """state: "done", "skipped" (offboarding items only) or "open" (removes the tick)."""
    require_ticker(actor, target=member)
    policy.ensure_same_account(actor, item)
    allowed = ["done", "open"] + (["skipped"] if item.kind == ChecklistKind.OFFBOARDING else [])
    if state not in allowed:
        raise ValidationFailed(
            {"state": gettext("must be one of: %(choices)s") % {"choices": ", ".join(allowed)}}
        )
    with transaction.atomic():
        member = limits.lock_member(member)
        tick = ChecklistTick.objects.filter(member=member, item=item).first()
        if state == "open":
            if tick is None:
                return None
            record(
                actor,
                "checklist.unticked",
                member,
                before={"item": item.title, "state": tick.state},
            )
            tick.delete()
            return None
        if tick is not None and tick.state == state:
            return tick
        tick = tick or ChecklistTick(member=member, item=item)
        tick.state = state
        tick.ticked_by = actor.member
        tick.ticked_by_display = actor.display[:400]
        tick.ticked_at = clock.now()
        tick.save()
        action = "checklist.ticked" if state == TickState.DONE else "checklist.skipped"
        record(actor, action, member, after={"item": item.title, "kind": item.kind})
        if item.kind == ChecklistKind.ONBOARDING:
            from crewbase.governance.onboarding import record_completions

            record_completions(member.account, member_ids=[member.pk])
        return tick


def ticks_for(member: Member, kind: str) -> dict[int, ChecklistTick]:
    ticks = ChecklistTick.objects.filter(member=member, item__kind=kind)
    return {tick.item_id: tick for tick in ticks}


def unresolved_closing_items(member: Member) -> list[ChecklistItem]:
    """Offboarding items neither ticked nor skipped for this member."""
    resolved = ChecklistTick.objects.filter(member=member).values("item_id")
    return list(
        ChecklistItem.objects.filter(
            account_id=member.account_id, kind=ChecklistKind.OFFBOARDING
        ).exclude(pk__in=resolved)
    )


def require_closing_items_resolved(member: Member) -> None:
    """Called by the offboarding action inside its transaction (LIFE-6)."""
    missing = unresolved_closing_items(member)
    if missing:
        raise ValidationFailed(
            {
                f"closing_item_{item.pk}": gettext("tick or skip '%(title)s'")
                % {"title": item.title}
                for item in missing
            },
            message=gettext("Tick or skip every closing item before offboarding: %(titles)s")
            % {"titles": ", ".join(item.title for item in missing)},
        )
