"""Reading bulk jobs and their rows: inside the actor's account, behind the job's permission."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.bulk.kinds import KINDS
from crewbase.bulk.models import BulkJob, BulkJobRow, RowOutcome
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, ValidationFailed
from crewbase.people.selectors import parse_id

REPORT_HEADER = ["member_id", "email", "outcome", "message", "done_at"]


def get_job(actor: Actor, job_id) -> BulkJob:
    policy.require(actor, "users.view")
    parsed = parse_id(job_id)
    job = BulkJob.objects.filter(account=actor.account, pk=parsed).first() if parsed else None
    if job is None:
        raise NotFound(_("No such bulk action in this account."))
    # Seeing who a job changed needs the permission the job itself needed.
    policy.require(actor, KINDS[job.kind].permission)
    return job


def recent_jobs(actor: Actor, limit: int = 20) -> list[BulkJob]:
    policy.require(actor, "users.view")
    allowed = [key for key, kind in KINDS.items() if policy.can(actor, kind.permission)]
    jobs = BulkJob.objects.filter(account=actor.account, kind__in=allowed)
    return list(jobs.order_by("-created_at", "-pk")[:limit])


def job_rows(job: BulkJob, *, outcome=None, after=None, limit: int = 100) -> QuerySet:
    rows = BulkJobRow.objects.filter(job=job).order_by("pk")
    if outcome not in (None, ""):
        if outcome not in RowOutcome.values:
            raise ValidationFailed(
                {
                    "outcome": _("must be one of: %(choices)s")
                    % {"choices": ", ".join(RowOutcome.values)}
                }
            )
        rows = rows.filter(outcome=outcome)
    if after not in (None, ""):
        parsed = parse_id(after)
        if parsed is None:
            raise ValidationFailed({"after": _("must be a row id")})
        rows = rows.filter(pk__gt=parsed)
    return rows[:limit]


def _cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_lines(job: BulkJob) -> Iterator[str]:
    """The per-row results as CSV lines, read in id order without loading them all at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line(REPORT_HEADER)  # the BOM makes Excel read UTF-8
    rows = BulkJobRow.objects.filter(job=job).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        done_at = row.done_at.isoformat() if row.done_at else ""
        yield line(
            [row.member_id or "", _cell(row.email), row.outcome, _cell(row.message), done_at]
        )
