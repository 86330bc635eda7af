"""Previewing and starting a bulk action on many members (LIST-3).

`preview_bulk_action` changes nothing: it says, member by member, what would change and what
would be skipped and why. `start_bulk_action` writes the job and one pending row per member
in one transaction, with an outbox row that hands the job to the worker; a small job (at most
INLINE_LIMIT rows) is then run at once, in the request, through the same runner.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.audit.record import record
from crewbase.bulk import runner
from crewbase.bulk.kinds import Facts, get_kind
from crewbase.bulk.models import BulkJob, BulkJobRow
from crewbase.bulk.selection import selected_members
from crewbase.core.actor import Actor
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Member

INLINE_LIMIT = 200
# A small job runs in the request; its outbox row waits this long before the worker takes it
# over, which it only needs to if the request died half-way.
INLINE_GRACE = timedelta(minutes=2)
PREVIEW_CHUNK = 2000


@dataclass
class PreviewRow:
    member_id: int
    email: str
    name: str
    outcome: str  # "change", "unchanged" or "skip"
    message: str


@dataclass
class Preview:
    action: str
    description: str
    params: dict
    total: int
    counts: dict = field(default_factory=dict)
    rows: list[PreviewRow] = field(default_factory=list)  # at most row_limit of them


def _prepare(actor: Actor, action, params, member_ids, filter):
    kind = get_kind(action)
    policy.require(actor, kind.permission)
    if params is not None and not isinstance(params, dict):
        raise ValidationFailed({"params": _("must be an object")})
    cleaned = kind.clean(actor, params or {})
    selected = selected_members(actor, member_ids=member_ids, filter=filter)
    if not selected:
        field_name = "filter" if filter is not None else "member_ids"
        raise ValidationFailed({field_name: _("selects no members")})
    return kind, cleaned, selected


def preview_bulk_action(
    *, actor: Actor, action, params=None, member_ids=None, filter=None, row_limit: int = 500
) -> Preview:
    kind, cleaned, selected = _prepare(actor, action, params, member_ids, filter)
    ids = [pk for pk, _ in selected]
    facts = Facts(actor_member_id=actor.member.pk if actor.member else None)
    kind.load_facts(actor, cleaned, ids, facts)
    preview = Preview(kind.key, kind.describe(cleaned), cleaned, len(ids))
    counts: Counter = Counter()
    for start in range(0, len(ids), PREVIEW_CHUNK):
        chunk = ids[start : start + PREVIEW_CHUNK]
        members = Member.objects.filter(account=actor.account, pk__in=chunk).select_related("role")
        for member in sorted(members, key=lambda m: m.pk):
            outcome, message = kind.assess(member, cleaned, facts)
            counts[outcome] += 1
            if len(preview.rows) < row_limit:
                preview.rows.append(
                    PreviewRow(member.pk, member.email, member.display_name, outcome, message)
                )
    preview.counts = {name: counts.get(name, 0) for name in ("change", "unchanged", "skip")}
    return preview


def start_bulk_action(
    *, actor: Actor, action, params=None, member_ids=None, filter=None, run_now: bool = True
) -> BulkJob:
    """The job, already finished when small (and `run_now`); else queued for the worker."""
    kind, cleaned, selected = _prepare(actor, action, params, member_ids, filter)
    inline = run_now and len(selected) <= INLINE_LIMIT
    with transaction.atomic():
        job = BulkJob.objects.create(
            account=actor.account,
            actor_member=actor.member,
            actor_kind=actor.kind,
            actor_token_id=actor.token_id,
            actor_scopes=sorted(actor.scopes) if actor.scopes is not None else None,
            actor_display=actor.display[:400],
            actor_ip=actor.ip_address or None,
            actor_user_agent=(actor.user_agent or "")[:400],
            language=translation.get_language() or "",
            kind=kind.key,
            params=cleaned,
            selection={"member_ids": member_ids} if member_ids is not None else {"filter": filter},
            total=len(selected),
        )
        BulkJobRow.objects.bulk_create(
            (BulkJobRow(job=job, member_id=pk, email=email) for pk, email in selected),
            batch_size=2000,
        )
        with translation.override("en"):  # stored history: one language whoever reads it
            description = kind.describe(cleaned)
        record(
            actor,
            "bulk.job_started",
            job,
            after={"action": kind.key, "description": description, "total": job.total},
        )
        runner.queue_job(job, delay=INLINE_GRACE if inline else None)
    if inline:
        runner.run_job(job.pk)
        job.refresh_from_db()
    return job
