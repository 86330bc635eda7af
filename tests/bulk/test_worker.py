"""Big bulk jobs run in the real worker, and a killed worker's job resumes without repeats."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from crewbase.audit.models import ActivityEvent
from crewbase.bulk.actions import start_bulk_action
from crewbase.bulk.models import BulkJob, BulkJobRow, JobStatus, RowOutcome
from crewbase.bulk.runner import OUTBOX_KIND, run_job
from crewbase.core.models import OutboxMessage
from crewbase.core.worker import WorkerLoop
from crewbase.people.models import Member, MemberStatus
from tests.bulk.builders import many_agents
from tests.conftest import actor_for, builtin_role, make_account

pytestmark = pytest.mark.django_db(transaction=True)


def role_changes(account) -> int:
    return ActivityEvent.objects.filter(account=account, action="member.role_changed").count()


def test_a_job_over_200_rows_goes_to_the_worker_and_the_worker_runs_it():
    account, owner = make_account()
    ids = many_agents(account, 250)
    job = start_bulk_action(
        actor=actor_for(owner),
        action="change_role",
        params={"role": builtin_role("supervisor").pk},
        member_ids=ids,
    )
    assert job.status == JobStatus.PENDING and job.total == 250
    assert OutboxMessage.objects.filter(kind=OUTBOX_KIND, payload__job_id=job.pk).exists()

    WorkerLoop(say=lambda line: None).run_once()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.changed, job.failed) == (250, 0)
    assert role_changes(account) == 250


def test_a_runner_stopped_after_n_rows_leaves_the_rest_pending_and_resumes_without_repeats():
    account, owner = make_account()
    ids = many_agents(account, 230)
    job = start_bulk_action(
        actor=actor_for(owner),
        action="change_role",
        params={"role": builtin_role("supervisor").pk},
        member_ids=ids,
        run_now=False,
    )
    assert run_job(job.pk, max_rows=70) is False
    assert BulkJobRow.objects.filter(job=job, outcome=RowOutcome.PENDING).count() == 160
    assert role_changes(account) == 70
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.changed) == (JobStatus.DONE, 230)
    assert role_changes(account) == 230


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_worker_killed_mid_job_is_resumed_by_the_next_worker_without_doing_a_row_twice():
    account, owner = make_account()
    ids = many_agents(account, 600)
    job = start_bulk_action(
        actor=actor_for(owner),
        action="change_role",
        params={"role": builtin_role("supervisor").pk},
        member_ids=ids,
    )
    env = {**os.environ, "DATABASE_URL": _database_url(), "PYTHONUNBUFFERED": "1"}
    command = [str(Path(sys.executable).parent / "crewbase"), "worker", "--sweep-interval", "0.2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.changed >= 40:
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)  # no chance to finish the row in hand
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    job.refresh_from_db()
    assert 40 <= job.changed < 600, "the worker must be killed half-way for this test"
    done_before = job.changed
    # Its leases (the outbox row's and the job's) would run out; let them, without waiting.
    OutboxMessage.objects.filter(kind=OUTBOX_KIND).update(claimed_until=None)
    BulkJob.objects.filter(pk=job.pk).update(claimed_until=None)

    WorkerLoop(say=lambda line: None).run_once()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.changed, job.unchanged, job.skipped, job.failed) == (600, 0, 0, 0)
    assert done_before < 600
    # Every member changed exactly once: one event each, every row "changed".
    assert role_changes(account) == 600
    assert set(BulkJobRow.objects.filter(job=job).values_list("outcome", flat=True)) == {
        RowOutcome.CHANGED
    }
    assert Member.objects.filter(pk__in=ids, role=builtin_role("supervisor")).count() == 600


def test_a_big_csv_is_checked_and_queued_then_the_worker_sends_all_of_it():
    from crewbase.bulk.import_actions import review_csv_import, send_csv_import
    from crewbase.bulk.models import CsvImport, ImportStatus

    account, owner = make_account()
    data = ("email,role\n" + "".join(f"n{i}@example.com,Agent\n" for i in range(250))).encode()
    upload, _ = review_csv_import(actor=actor_for(owner), data=data)
    result = send_csv_import(actor=actor_for(owner), upload=upload)
    assert result.upload.status == ImportStatus.QUEUED and result.invited == []
    assert not Member.objects.filter(account=account, status=MemberStatus.INVITED).exists()

    WorkerLoop(say=lambda line: None).run_once()

    upload = CsvImport.objects.get(pk=upload.pk)
    assert (upload.status, upload.invited_count) == (ImportStatus.SENT, 250)
    assert Member.objects.filter(account=account, status=MemberStatus.INVITED).count() == 250


def test_a_queued_csv_that_no_longer_fits_the_plan_is_not_sent_at_all_and_says_why():
    from crewbase.bulk.import_actions import review_csv_import, send_csv_import
    from crewbase.bulk.models import CsvImport, ImportStatus

    account, owner = make_account()
    account.user_limit = 300
    account.save()
    data = ("email,role\n" + "".join(f"m{i}@example.com,Agent\n" for i in range(250))).encode()
    upload, _ = review_csv_import(actor=actor_for(owner), data=data)
    send_csv_import(actor=actor_for(owner), upload=upload)
    many_agents(account, 100)  # meanwhile the account filled up

    WorkerLoop(say=lambda line: None).run_once()

    upload = CsvImport.objects.get(pk=upload.pk)
    assert upload.status == ImportStatus.FAILED
    assert "user limit" in upload.failure
    assert not Member.objects.filter(account=account, status=MemberStatus.INVITED).exists()


def test_a_job_the_worker_runs_writes_in_the_language_of_whoever_started_it():
    from datetime import timedelta

    from django.utils import translation

    from crewbase.core import clock
    from crewbase.people.actions.invitations import invite_people

    account, owner = make_account()
    invite_people(
        actor=actor_for(owner), emails=["new.agent@example.com"], role_id=builtin_role("agent").pk
    )
    invited = Member.objects.get(account=account, email="new.agent@example.com")
    clock.freeze(clock.now() + timedelta(hours=2))  # a resend within the hour is "unchanged"
    try:
        with translation.override("id"):
            job = start_bulk_action(
                actor=actor_for(owner),
                action="resend_invitations",
                member_ids=[invited.pk],
                run_now=False,
            )
        assert job.language == "id"
        WorkerLoop(say=lambda line: None).run_once()  # the worker runs in English
    finally:
        clock.freeze(None)
    job.refresh_from_db()
    assert (job.status, job.changed) == (JobStatus.DONE, 1)
    # The invitee has no language of their own: the resend reads as the admin who sent it.
    resent = OutboxMessage.objects.filter(
        kind="email", payload__to="new.agent@example.com"
    ).order_by("-pk")[0]
    assert "mengundang Anda ke" in resent.payload["subject"]
