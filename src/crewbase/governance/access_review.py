"""The access review page (§14): who should be looked at, each row with the link to its fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from crewbase.access import policy
from crewbase.api.models import ApiToken
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.governance.onboarding import _missing_2fa_queryset
from crewbase.org.models import Queue
from crewbase.people.models import Invitation, InvitationStatus, Member, MemberStatus

DEFAULT_INACTIVE_DAYS = 90
PENDING_INVITE_DAYS = 7
UNUSED_TOKEN_DAYS = 90
ROWS_PER_GROUP = 200


@dataclass
class Row:
    member_id: int | None
    name: str
    email: str
    detail: str
    fix_label: str
    fix_url: str


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    truncated: bool = False


def parse_days(raw, default: int = DEFAULT_INACTIVE_DAYS) -> int:
    if raw in (None, ""):
        return default
    try:
        days = int(str(raw).strip())
    except ValueError:
        raise ValidationFailed(
            {"inactive_days": gettext("must be a whole number of days")}
        ) from None
    if not 1 <= days <= 3650:
        raise ValidationFailed({"inactive_days": gettext("must be between 1 and 3650")})
    return days


def _profile(member_id: int) -> str:
    return reverse("member", args=[member_id])


def _member_rows(members, detail, fix_label, fix_url=None) -> tuple[list[Row], bool]:
    found = list(members[: ROWS_PER_GROUP + 1])
    rows = [
        Row(
            m.pk,
            m.display_name,
            m.email,
            detail(m),
            fix_label,
            fix_url(m) if fix_url else _profile(m.pk),
        )
        for m in found[:ROWS_PER_GROUP]
    ]
    return rows, len(found) > ROWS_PER_GROUP


def _english(text: str) -> str:
    return text


def build(
    actor: Actor,
    *,
    inactive_days: int = DEFAULT_INACTIVE_DAYS,
    translate: Callable[[str], str] = _english,
) -> list[Group]:
    """The review's groups; texts in English (the API) unless the console passes gettext."""
    policy.require(actor, "audit.view")
    t = translate

    def _date(value) -> str:
        return f"{value:%Y-%m-%d}" if value else t(gettext_noop("never"))

    account = actor.account
    now = clock.now()
    members = (
        Member.objects.filter(account=account).select_related("role").order_by("display_name", "id")
    )
    active = members.filter(status=MemberStatus.ACTIVE)
    groups = []

    cutoff = now - timedelta(days=inactive_days)
    seen = Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True)
    signed = Q(last_sign_in_at__lt=cutoff) | Q(last_sign_in_at__isnull=True)
    joined_long_ago = Q(joined_at__lt=cutoff) | Q(joined_at__isnull=True, created_at__lt=cutoff)
    inactive = active.filter(seen & signed & joined_long_ago)
    group = Group(
        "inactive", t(gettext_noop("Members inactive for %(days)s days")) % {"days": inactive_days}
    )
    group.rows, group.truncated = _member_rows(
        inactive,
        lambda m: t(gettext_noop("Last sign-in %(date)s")) % {"date": _date(m.last_sign_in_at)},
        t(gettext_noop("Deactivate…")),
        lambda m: reverse("member_deactivate", args=[m.pk]),
    )
    groups.append(group)

    admins = active.filter(Q(is_owner=True) | Q(role__builtin_key="admin"))
    group = Group("admins", t(gettext_noop("Owner and admins")))
    group.rows, group.truncated = _member_rows(
        admins,
        lambda m: (
            t(gettext_noop("Owner (holds every permission)"))
            if m.is_owner
            else t(gettext_noop("Role %(role)s")) % {"role": m.role.name}
        ),
        t(gettext_noop("Review role")),
    )
    groups.append(group)

    lacking = _missing_2fa_queryset(account).order_by("display_name", "id")
    group = Group("missing_2fa", t(gettext_noop("Members lacking required 2FA")))
    group.rows, group.truncated = _member_rows(
        lacking,
        lambda m: t(gettext_noop("Role %(role)s requires 2FA")) % {"role": m.role.name},
        t(gettext_noop("Open profile")),
    )
    groups.append(group)

    in_queue = Exists(Queue.members.through.objects.filter(member_id=OuterRef("pk")))
    unqueued = active.filter(agent_access=True).exclude(in_queue)
    group = Group("no_queue", t(gettext_noop("Active agents in no queue")))
    group.rows, group.truncated = _member_rows(
        unqueued,
        lambda m: t(gettext_noop("Agent access, no queue")),
        t(gettext_noop("Open profile")),
    )
    groups.append(group)

    stale = (
        Invitation.objects.filter(
            account=account,
            status=InvitationStatus.PENDING,
            created_at__lt=now - timedelta(days=PENDING_INVITE_DAYS),
        )
        .select_related("member")
        .order_by("created_at", "id")
    )
    found = list(stale[: ROWS_PER_GROUP + 1])
    group = Group(
        "stale_invitations",
        t(gettext_noop("Invitations pending over %(days)s days")) % {"days": PENDING_INVITE_DAYS},
    )
    for invitation in found[:ROWS_PER_GROUP]:
        member_id = invitation.member_id
        group.rows.append(
            Row(
                member_id,
                invitation.member.display_name if invitation.member else invitation.email,
                invitation.email,
                (
                    t(gettext_noop("Sent %(date)s (expired)"))
                    if invitation.expires_at <= now
                    else t(gettext_noop("Sent %(date)s"))
                )
                % {"date": _date(invitation.created_at)},
                t(gettext_noop("Resend or cancel")),
                _profile(member_id) if member_id else reverse("invite"),
            )
        )
    group.truncated = len(found) > ROWS_PER_GROUP
    groups.append(group)

    token_cutoff = now - timedelta(days=UNUSED_TOKEN_DAYS)
    tokens = (
        ApiToken.objects.usable()
        .filter(account=account)
        .filter(
            Q(last_used_at__lt=token_cutoff)
            | Q(last_used_at__isnull=True, created_at__lt=token_cutoff)
        )
        .select_related("member")
        .order_by("created_at", "id")
    )
    found = list(tokens[: ROWS_PER_GROUP + 1])
    group = Group(
        "unused_tokens",
        t(gettext_noop("API tokens unused for %(days)s days")) % {"days": UNUSED_TOKEN_DAYS},
    )
    for token in found[:ROWS_PER_GROUP]:
        group.rows.append(
            Row(
                token.member_id,
                t(gettext_noop("%(token)s (%(prefix)s…) of %(name)s"))
                % {
                    "token": token.name,
                    "prefix": token.prefix,
                    "name": token.member.display_name,
                },
                token.member.email,
                t(gettext_noop("Last used %(date)s")) % {"date": _date(token.last_used_at)},
                t(gettext_noop("Revoke…")),
                reverse("token_revoke", args=[token.pk]),
            )
        )
    group.truncated = len(found) > ROWS_PER_GROUP
    groups.append(group)
    return groups
