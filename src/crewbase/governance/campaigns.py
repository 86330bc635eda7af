"""Access review campaigns (§14, the sources' "review users quarterly").

An admin starts a review of all members, a role or a team; each member's access at that moment
becomes an item. Items are decided by a named reviewer: confirmed, changed (through
change_role) or revoked (through deactivate_member). When no item is open the review is signed
off: the record (who reviewed what, when, the decision) is hashed and signed with the server's
secret key, and the hash also goes into the tamper-evident activity log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext, ngettext

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, NotFound, ValidationFailed
from crewbase.core.outbox import queue_email
from crewbase.governance.models import (
    CampaignScope,
    CampaignStatus,
    Decision,
    ReviewCampaign,
    ReviewItem,
)
from crewbase.org.models import Team
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import DeactivationReason, Member, MemberStatus

MAX_MEMBERS = 10_000
REMIND_EVERY = timedelta(days=3)


def reviewer_choices(account) -> list[tuple[str, str]]:
    members = Member.objects.filter(account=account, status=MemberStatus.ACTIVE).select_related(
        "role"
    )
    return [("", "—")] + [
        (str(m.pk), f"{m.display_name} ({m.email})")
        for m in members.order_by("display_name", "id")[:500]
        if "users.manage" in policy.member_permissions(m)
    ]


def campaigns_of(actor: Actor):
    policy.require(actor, "audit.view")
    return ReviewCampaign.objects.filter(account=actor.account)


def get_campaign(actor: Actor, campaign_id) -> ReviewCampaign:
    found = (
        campaigns_of(actor).filter(pk=campaign_id).first()
        if isinstance(campaign_id, int) and 0 < campaign_id < 2**63
        else None
    )
    if found is None:
        raise NotFound(
            gettext("No access review with id %(id)s in this account.") % {"id": campaign_id}
        )
    return found


def _as_id(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = gettext("must be an id")
        return None
    if not 0 < number < 2**63:
        errors[name] = gettext("must be an id")
        return None
    return number


def _access_of(member: Member) -> dict:
    return {
        "role": member.role.name,
        "status": member.status,
        "agent_access": member.agent_access,
        "owner": member.is_owner,
        "teams": sorted(t.name for t in member.teams.all()),
    }


def start_campaign(
    *, actor: Actor, name: str, scope: str, role_id=None, team_id=None, reviewer_id=None, due=None
) -> ReviewCampaign:
    policy.require(actor, "users.manage")
    errors: dict[str, str] = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = gettext("is required")
    elif len(name) > 200:
        errors["name"] = gettext("must be at most %(limit)s characters") % {"limit": 200}
    if scope not in CampaignScope.values:
        errors["scope"] = gettext("must be one of: %(choices)s") % {
            "choices": ", ".join(CampaignScope.values)
        }
    role_id = _as_id(role_id, "role", errors)
    team_id = _as_id(team_id, "team", errors)
    reviewer_id = _as_id(reviewer_id, "reviewer", errors)
    members = Member.objects.filter(account=actor.account).exclude(status=MemberStatus.INVITED)
    scope_label = "All members"
    if scope == CampaignScope.ROLE and "role" not in errors:
        role = (
            Role.objects.for_account(actor.account).filter(pk=role_id).first() if role_id else None
        )
        if role is None:
            errors["role"] = gettext("choose a role of this account")
        else:
            members, scope_label = members.filter(role=role), f"Role: {role.name}"
    if scope == CampaignScope.TEAM and "team" not in errors:
        team = Team.objects.filter(account=actor.account, pk=team_id).first() if team_id else None
        if team is None:
            errors["team"] = gettext("choose a team of this account")
        else:
            members, scope_label = members.filter(teams=team), f"Team: {team.name}"
    reviewer = None
    if reviewer_id is not None:
        reviewer = Member.objects.filter(
            account=actor.account, pk=reviewer_id, status=MemberStatus.ACTIVE
        ).first()
        if reviewer is None or "users.manage" not in policy.member_permissions(reviewer):
            errors["reviewer"] = gettext("must be an active member who may manage members")
    due_at = _due_at(actor.account, due, errors)
    if errors:
        raise ValidationFailed(errors)
    reviewer = reviewer or actor.member
    members = list(members.select_related("role").prefetch_related("teams")[: MAX_MEMBERS + 1])
    if not members:
        raise ValidationFailed(
            {"scope": gettext("nobody to review: no active or deactivated member matches")}
        )
    if len(members) > MAX_MEMBERS:
        raise ValidationFailed(
            {"scope": gettext("at most %(limit)s members per review") % {"limit": MAX_MEMBERS}}
        )
    with transaction.atomic():
        campaign = ReviewCampaign.objects.create(
            account=actor.account,
            name=name,
            scope=scope,
            scope_label=scope_label,
            reviewer=reviewer,
            started_by_display=actor.display[:400],
            started_at=clock.now(),
            due_at=due_at,
        )
        ReviewItem.objects.bulk_create(
            ReviewItem(
                campaign=campaign,
                member=m,
                member_email=m.email,
                member_display=m.display_name,
                access=_access_of(m),
            )
            for m in members
        )
        record(
            actor,
            "review.started",
            campaign,
            after={"scope": scope_label, "items": len(members), "due_at": due_at},
        )
        return campaign


def _due_at(account, due, errors: dict):
    if due in (None, ""):
        return None
    if isinstance(due, str):
        try:
            due = date.fromisoformat(due.strip())
        except ValueError:
            errors["due_date"] = gettext("must be a date such as 2026-12-31")
            return None
    if not isinstance(due, date):
        errors["due_date"] = gettext("must be a date such as 2026-12-31")
        return None
    from crewbase.governance.schedules import local_zone

    at = datetime.combine(due, time(23, 59), tzinfo=local_zone(account))
    if at <= clock.now():
        errors["due_date"] = gettext("must be today or later")
        return None
    if at - clock.now() > timedelta(days=5 * 366):
        errors["due_date"] = gettext("must be within five years")
        return None
    return at


def decide_item(
    *, actor: Actor, item: ReviewItem, decision: str, role_id=None, note: str = ""
) -> ReviewItem:
    policy.require(actor, "users.manage", target=item.campaign)
    if decision not in Decision.values:
        raise ValidationFailed(
            {
                "decision": gettext("must be one of: %(choices)s")
                % {"choices": ", ".join(Decision.values)}
            }
        )
    note = " ".join(str(note or "").split())
    if len(note) > 500:
        raise ValidationFailed(
            {"note": gettext("must be at most %(limit)s characters") % {"limit": 500}}
        )
    if decision == Decision.CHANGED and role_id in (None, ""):
        raise ValidationFailed({"role": gettext("choose the new role")})
    with transaction.atomic():
        campaign = ReviewCampaign.objects.select_for_update().get(pk=item.campaign_id)
        if campaign.status != CampaignStatus.OPEN:
            raise Conflict(
                gettext("This review is signed off; its decisions can no longer change.")
            )
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        member = item.member
        if decision != Decision.CONFIRMED and member is None:
            raise Conflict(gettext("The member was deleted; only 'confirmed' can be recorded."))
        detail: dict = {}
        if decision == Decision.CHANGED:
            before = member.role.name
            changed = change_role(actor=actor, member=member, role_id=role_id)
            detail = {"role_before": before, "role_after": changed.role.name}
        elif decision == Decision.REVOKED:
            result = deactivate_member(
                actor=actor, member=member, reason=DeactivationReason.ROLE_CHANGE
            )
            detail = {"deactivated": True, "tickets_reassigned": result.tickets_reassigned}
        item.decision = decision
        item.note = note
        item.detail = detail
        item.decided_by_display = actor.display[:400]
        item.decided_at = clock.now()
        item.save()
        record(
            actor,
            "review.decided",
            member,
            target_display=None if member else item.member_email,
            after={"review": campaign.name, "decision": decision, "note": note, **detail},
        )
        return item


def _utc(value):
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def canonical_record(campaign: ReviewCampaign) -> dict:
    items = campaign.items.order_by("id")
    return {
        "review_id": campaign.pk,
        "account_id": campaign.account_id,
        "name": campaign.name,
        "scope": campaign.scope_label,
        "started_by": campaign.started_by_display,
        "started_at": _utc(campaign.started_at),
        "signed_off_by": campaign.signed_off_by_display,
        "signed_off_at": _utc(campaign.signed_off_at),
        "items": [
            {
                "member": item.member_email,
                "access": item.access,
                "decision": item.decision,
                "note": item.note,
                "detail": item.detail,
                "decided_by": item.decided_by_display,
                "decided_at": _utc(item.decided_at),
            }
            for item in items
        ],
    }


def record_digest(campaign: ReviewCampaign) -> tuple[str, str]:
    text = json.dumps(
        canonical_record(campaign), cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")
    )
    digest = hashlib.sha256(text.encode()).hexdigest()
    signature = hmac.new(settings.SECRET_KEY.encode(), digest.encode(), hashlib.sha256).hexdigest()
    return digest, signature


def verify_record(campaign: ReviewCampaign) -> bool:
    if campaign.status != CampaignStatus.SIGNED_OFF:
        return False
    digest, signature = record_digest(campaign)
    return hmac.compare_digest(digest, campaign.record_hash) and hmac.compare_digest(
        signature, campaign.record_signature
    )


def sign_off(*, actor: Actor, campaign: ReviewCampaign) -> ReviewCampaign:
    policy.require(actor, "users.manage", target=campaign)
    with transaction.atomic():
        campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.SIGNED_OFF:
            raise Conflict(gettext("This review is already signed off."))
        open_count = campaign.items.filter(decision="").count()
        if open_count:
            raise Conflict(
                ngettext(
                    "%(count)s item is still open; decide every item before signing off.",
                    "%(count)s items are still open; decide every item before signing off.",
                    open_count,
                )
                % {"count": open_count},
                errors={"items": gettext("%(count)s still open") % {"count": open_count}},
            )
        campaign.status = CampaignStatus.SIGNED_OFF
        campaign.signed_off_by_display = actor.display[:400]
        campaign.signed_off_at = clock.now().replace(microsecond=0)
        campaign.record_hash, campaign.record_signature = record_digest(campaign)
        campaign.save()
        record(
            actor,
            "review.signed_off",
            campaign,
            after={"items": campaign.items.count(), "record_sha256": campaign.record_hash},
        )
        return campaign


def send_due_reminders() -> int:
    """Worker job: email each open review's reviewer about open items, every few days."""
    now = clock.now()
    sent = 0
    due = ReviewCampaign.objects.filter(status=CampaignStatus.OPEN).select_related("reviewer")
    for campaign in due.filter(reviewer__isnull=False)[:200]:
        last = campaign.last_reminder_at or campaign.started_at
        if now - last < REMIND_EVERY:
            continue
        with transaction.atomic():
            locked = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
            if locked.last_reminder_at != campaign.last_reminder_at:
                continue  # another worker sent it
            open_count = locked.items.filter(decision="").count()
            locked.last_reminder_at = now
            locked.save(update_fields=["last_reminder_at"])
            if not open_count or campaign.reviewer.status != MemberStatus.ACTIVE:
                continue
            queue_reminder(campaign, open_count, key=f"review-reminder-{campaign.pk}-{now:%Y%m%d}")
            sent += 1
    return sent


def queue_reminder(campaign: ReviewCampaign, open_count: int, *, key: str | None = None) -> None:
    context = {
        "campaign": campaign,
        "open_count": open_count,
        "link": f"{settings.CREWBASE_BASE_URL}/access-review/reviews/{campaign.pk}/",
    }
    queue_email(
        account=campaign.account,
        to=campaign.reviewer.email,
        template="governance/email_review_reminder",
        context=context,
        key=key,
    )


def remind_now(*, actor: Actor, campaign: ReviewCampaign) -> int:
    """An admin's "send a reminder now"; returns the number of open items named in it."""
    policy.require(actor, "users.manage", target=campaign)
    with transaction.atomic():
        campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.OPEN or campaign.reviewer is None:
            raise Conflict(gettext("Only an open review with a reviewer can send reminders."))
        open_count = campaign.items.filter(decision="").count()
        if open_count:
            queue_reminder(campaign, open_count)
        campaign.last_reminder_at = clock.now()
        campaign.save(update_fields=["last_reminder_at"])
        return open_count
