"""Running a bulk job row by row, each row atomic, resumable after a crash (LIST-3, FAIL-3).

A row's action and the row's result commit in one transaction, and a row is only taken while
it is still "pending" (locked), so a runner that dies loses at most the row in hand (rolled
back, still pending) and a runner that resumes never repeats a finished row. One runner at a
time holds the job's lease; the worker runs a job in slices and queues the next slice in the
outbox (registered as its own kind) so a lost or killed worker's job is picked up again.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from crewbase.audit.record import record
from crewbase.bulk.kinds import CHANGE, SKIP, UNCHANGED, get_kind
from crewbase.bulk.models import BulkJob, BulkJobRow, JobStatus, RowOutcome
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import DomainError, PermissionDenied
from crewbase.core.models import OutboxMessage
from crewbase.people.models import Member

logger = logging.getLogger(__name__)

OUTBOX_KIND = "bulk_job"
LEASE = timedelta(seconds=60)
BATCH = 200
ROWS_PER_COMMIT = 25
# The worker runs a job this long, then queues the rest, so other work is not starved.
SLICE_SECONDS = 20.0
RESULT = {CHANGE: RowOutcome.CHANGED, UNCHANGED: RowOutcome.UNCHANGED, SKIP: RowOutcome.SKIPPED}
COUNTER = {
    RowOutcome.CHANGED: "changed",
    RowOutcome.UNCHANGED: "unchanged",
    RowOutcome.SKIPPED: "skipped",
    RowOutcome.FAILED: "failed",
}


def job_actor(job: BulkJob) -> Actor:
    """The job's starter as an Actor, reloaded so their current permissions apply to each row."""
    member = None
    if job.actor_member_id is not None:
        member = (
            Member.objects.select_related("role", "person", "account")
            .filter(pk=job.actor_member_id)
            .first()
        )
    scopes = frozenset(job.actor_scopes) if job.actor_scopes is not None else None
    return Actor(
        kind=job.actor_kind,
        account=job.account,
        member=member,
        token_id=job.actor_token_id,
        scopes=scopes,
        ip_address=job.actor_ip,
        user_agent=job.actor_user_agent,
    )


def _claim(job_id: int, runner_id: str) -> bool:
    now = clock.now()
    claimed = (
        BulkJob.objects.filter(pk=job_id)
        .exclude(status=JobStatus.DONE)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now) | Q(claimed_by=runner_id))
        .update(claimed_by=runner_id, claimed_until=now + LEASE, status=JobStatus.RUNNING)
    )
    if claimed:
        BulkJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return bool(claimed)


def _release(job_id: int, runner_id: str) -> None:
    BulkJob.objects.filter(pk=job_id, claimed_by=runner_id).update(claimed_until=None)


def _reason(error: DomainError) -> str:
    if isinstance(error, PermissionDenied) or not error.errors:
        return error.message[:500]
    return "; ".join(str(reason) for reason in error.errors.values())[:500]


def run_row(job: BulkJob, actor: Actor, row_id: int) -> str | None:
    """Do one pending row; returns its outcome, or None if it was already done."""
    kind = get_kind(job.kind)
    with transaction.atomic():
        row = BulkJobRow.objects.select_for_update().filter(pk=row_id).first()
        if row is None or row.outcome != RowOutcome.PENDING:
            return None
        member = (
            Member.objects.select_related("role", "person", "account")
            .filter(pk=row.member_id, account_id=job.account_id)
            .first()
        )
        if member is None:
            outcome, message = RowOutcome.SKIPPED, _("no longer a member of this account")
        else:
            try:
                with transaction.atomic():  # a refusal rolls back this row's changes only
                    result, message = kind.apply(actor, member, job.params)
                outcome = RESULT[result]
            except DomainError as error:
                outcome, message = RowOutcome.SKIPPED, _reason(error)
            except Exception:
                logger.exception("bulk job %s: row %s failed", job.pk, row.pk)
                outcome = RowOutcome.FAILED
                message = _("unexpected error; nothing was changed for this member")
        row.outcome, row.message, row.done_at = outcome, message[:500], clock.now()
        row.save(update_fields=["outcome", "message", "done_at"])
        counter = COUNTER[outcome]
        BulkJob.objects.filter(pk=job.pk).update(**{counter: F(counter) + 1})
        return outcome


def _finish(job_id: int, runner_id: str) -> None:
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().select_related("account").get(pk=job_id)
        if job.status == JobStatus.DONE:
            return
        if BulkJobRow.objects.filter(job=job, outcome=RowOutcome.PENDING).exists():
            return
        job.status, job.finished_at = JobStatus.DONE, clock.now()
        job.claimed_until = None
        job.save(update_fields=["status", "finished_at", "claimed_until"])
        record(
            job_actor(job),
            "bulk.job_finished",
            job,
            after={
                "action": job.kind,
                "changed": job.changed,
                "unchanged": job.unchanged,
                "skipped": job.skipped,
                "failed": job.failed,
            },
        )


def run_job(
    job_id: int,
    *,
    runner_id: str | None = None,
    max_seconds: float | None = None,
    max_rows: int | None = None,
) -> bool | None:
    """Run pending rows; True when the job is finished, False when rows remain (a time or
    row budget ran out), None when another runner holds the job's lease."""
    runner_id = runner_id or uuid.uuid4().hex
    if not _claim(job_id, runner_id):
        return (
            None
            if BulkJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).exists()
            else True
        )
    deadline = time.monotonic() + max_seconds if max_seconds is not None else None
    done = 0
    try:
        while True:
            job = BulkJob.objects.select_related("account").get(pk=job_id)
            pending = list(
                BulkJobRow.objects.filter(job_id=job_id, outcome=RowOutcome.PENDING)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not pending:
                _finish(job_id, runner_id)
                return True
            actor = job_actor(job)  # fresh each batch: a demoted starter stops changing things
            for start in range(0, len(pending), ROWS_PER_COMMIT):
                if _out_of_budget(done, max_rows, deadline):
                    return False
                group = pending[start : start + ROWS_PER_COMMIT]
                if max_rows is not None:
                    group = group[: max_rows - done]
                # Each row is its own savepoint (atomic on its own); committing a few rows at a
                # time keeps SQLite from syncing the disk once per row. A crash rolls back the
                # uncommitted rows, which stay pending and are done by the next runner.
                with transaction.atomic():
                    for row_id in group:
                        run_row(job, actor, row_id)
                done += len(group)
            if not _claim(job_id, runner_id):  # extends the lease; lost it: another took over
                return None
    finally:
        _release(job_id, runner_id)


def _out_of_budget(done: int, max_rows: int | None, deadline: float | None) -> bool:
    if max_rows is not None and done >= max_rows:
        return True
    return deadline is not None and time.monotonic() >= deadline


def queue_job(job: BulkJob, *, delay: timedelta | None = None) -> OutboxMessage:
    """Hand (the rest of) the job to the worker, in the caller's transaction.

    The outbox row is what makes the hand-over durable: the worker's periodic sweep finds it
    even if the wake-up task is lost, and a worker that dies lets the row's lease run out.
    """
    message = OutboxMessage.objects.create(
        account_id=job.account_id,
        kind=OUTBOX_KIND,
        idempotency_key=f"bulk-job-{job.pk}-{uuid.uuid4().hex[:16]}",
        payload={"job_id": job.pk},
        next_attempt_at=clock.now() + (delay or timedelta(0)),
    )
    if delay is None:
        transaction.on_commit(_wake_worker)
    return message


def _wake_worker() -> None:
    from crewbase.core.delivery import enqueue_delivery

    enqueue_delivery()


class JobBusy(RuntimeError):
    """Another runner holds the job; the outbox retries this slice later."""


def run_job_slice(message: OutboxMessage, session=None) -> None:
    """The outbox sender for OUTBOX_KIND: run a slice of the job, queue the rest."""
    job_id = message.payload.get("job_id") if isinstance(message.payload, dict) else None
    job = BulkJob.objects.filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return
    with translation.override(job.language or None):
        finished = run_job(job.pk, max_seconds=SLICE_SECONDS)
    if finished is None:
        raise JobBusy(f"bulk job {job.pk} is being run by {job.claimed_by}; will look again")
    if finished is False:
        with transaction.atomic():
            queue_job(job)
