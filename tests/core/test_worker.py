"""The real worker loop: in a thread, and as the `crewbase worker` process stopped by SIGTERM."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from crewbase.core.models import OutboxStatus, WorkerHeartbeat
from crewbase.core.worker import WorkerLoop, worker_health
from tests.core.outbox_rows import queue_plain, reload

pytestmark = pytest.mark.django_db(transaction=True)


def test_loop_delivers_what_is_queued_while_it_runs_and_stops_when_asked(smtp):
    said: list[str] = []
    loop = WorkerLoop(sweep_interval=0.2, poll_interval=0.05, say=said.append)

    def run():
        try:
            loop.run_forever()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        row = queue_plain("live@example.com")
        smtp.wait_for(1)
    finally:
        loop.stop()
        thread.join(30)
    assert not thread.is_alive()
    assert [m["To"] for m in smtp.messages] == ["live@example.com"]
    assert reload(row).status == OutboxStatus.SENT
    assert WorkerHeartbeat.objects.filter(worker_id=loop.worker_id).exists()
    assert worker_health() == "ok"
    assert said[-1] == f"worker {loop.worker_id} stopped"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_worker_command_delivers_and_exits_cleanly_on_sigterm(smtp, settings):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SMTP_URL": settings.SMTP_URL,
        "PYTHONUNBUFFERED": "1",
    }
    command = [str(Path(sys.executable).parent / "crewbase"), "worker", "--sweep-interval", "0.2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        first_lines = [process.stdout.readline() for _ in range(2)]
        assert "sending mail through 127.0.0.1" in first_lines[0]
        assert "started" in first_lines[1]
        queue_plain("process@example.com")
        smtp.wait_for(1)
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, rest
    assert "sent email" in rest and "process@example.com" in rest
    assert rest.rstrip().endswith("stopped")
    assert [m["To"] for m in smtp.messages] == ["process@example.com"]


def test_housekeeping_drops_old_heartbeats_and_finished_delivery_tasks():
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from crewbase.core import clock
    from crewbase.core.delivery import deliver_due_task

    old_loop = WorkerLoop(say=lambda _: None)
    old_loop.heartbeat()
    deliver_due_task.enqueue()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=clock.now())
    try:
        clock.freeze(clock.now() + timedelta(days=2))
        new_loop = WorkerLoop(say=lambda _: None)
        new_loop.heartbeat()
        new_loop.housekeeping()
    finally:
        clock.freeze(None)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [new_loop.worker_id]
    assert not DBTaskResult.objects.exists()
