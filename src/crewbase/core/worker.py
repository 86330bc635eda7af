"""The worker loop: run due django-tasks tasks, sweep the outbox, say it is alive.

django-tasks-db's own `Worker` claims and runs task rows (reused here in its batch mode, which
drains the ready tasks and returns); the outbox sweep runs every few seconds on its own, so a
task that was never enqueued, or was lost, never loses a message (DESIGN §5).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as TasksWorker

from crewbase.core import clock
from crewbase.core.delivery import DeliveryReport, deliver_due, deliver_due_task
from crewbase.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# /healthz calls a worker stale when its heartbeat is older than this.
STALE_AFTER = timedelta(seconds=60)
# Old heartbeats (one row per worker start) and finished delivery tasks are deleted after this.
KEEP_HOUSEKEEPING_ROWS = timedelta(days=1)
HOUSEKEEPING_EVERY_SECONDS = 3600

# Jobs other areas register (e.g. governance's scheduled deactivations): run on every sweep, so
# anything that fell due while no worker ran is picked up by the first sweep after a start.
_PERIODIC: dict[str, Callable[[], object]] = {}


def register_periodic(name: str, job: Callable[[], object]) -> None:
    _PERIODIC[name] = job


def run_periodic() -> None:
    for name, job in list(_PERIODIC.items()):
        try:
            job()
        except Exception:
            # One failing job must not stop message delivery; it runs again next sweep.
            logger.exception("periodic job %s failed", name)
            close_old_connections()


def worker_health() -> str:
    """ "ok", "stale" or "never seen", from the newest heartbeat of any worker."""
    newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if newest is None:
        return "never seen"
    return "ok" if clock.now() - newest <= STALE_AFTER else "stale"


class WorkerLoop:
    def __init__(
        self,
        *,
        sweep_interval: float = 5.0,
        poll_interval: float = 1.0,
        batch: int = 50,
        say: Callable[[str], None] = print,
        worker_id: str | None = None,
    ):
        self.sweep_interval = sweep_interval
        self.poll_interval = poll_interval
        self.batch = batch
        self.say = say
        self.worker_id = worker_id or f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        self.stopping = threading.Event()
        self.tasks = TasksWorker(
            queue_names=["*"],  # every queue: this is the product's only worker
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        self.started_at = clock.now()

    def stop(self) -> None:
        """Finish the message or task in hand, then leave the loop (SIGTERM/SIGINT)."""
        self.stopping.set()
        self.tasks.running = False

    def heartbeat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id[:64],
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": clock.now(),
            },
        )

    def housekeeping(self) -> None:
        """Delete rows that only grow: old heartbeats and finished delivery-task results."""
        from django_tasks_db.models import DBTaskResult

        cutoff = clock.now() - KEEP_HOUSEKEEPING_ROWS
        WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
        DBTaskResult.objects.finished().filter(
            task_path=deliver_due_task.module_path, finished_at__lt=cutoff
        ).delete()

    def run_tasks(self) -> None:
        if self.stopping.is_set():
            return
        self.tasks.running = True
        self.tasks.run()  # batch mode: runs every ready task, then returns

    def sweep(self, limit: int = 1000) -> DeliveryReport:
        report = DeliveryReport()
        if not self.stopping.is_set():
            run_periodic()
        while not self.stopping.is_set() and len(report.outcomes) < limit:
            step = deliver_due(limit=self.batch, batch=self.batch)
            report.outcomes.extend(step.outcomes)
            if not step.outcomes:
                break
        return report

    def run_once(self) -> DeliveryReport:
        """Deliver what is due now and run ready tasks, then return (--once, cron, tests)."""
        close_old_connections()
        self.heartbeat()
        self.housekeeping()
        self.run_tasks()
        report = self.sweep()
        self.heartbeat()
        return report

    def run_forever(self) -> None:
        self.say(f"worker {self.worker_id} started (outbox sweep every {self.sweep_interval:g} s)")
        next_sweep = next_housekeeping = time.monotonic()
        while not self.stopping.is_set():
            try:
                close_old_connections()
                self.run_tasks()
                if time.monotonic() >= next_sweep:
                    self.heartbeat()
                    self.sweep()
                    next_sweep = time.monotonic() + self.sweep_interval
                if time.monotonic() >= next_housekeeping:
                    self.housekeeping()
                    next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY_SECONDS
            except Exception:
                # A database hiccup must not kill the worker; it tries again next tick.
                logger.exception("worker loop iteration failed")
                self.say("worker loop iteration failed; retrying")
            self.stopping.wait(self.poll_interval)
        close_old_connections()
        self.say(f"worker {self.worker_id} stopped")
