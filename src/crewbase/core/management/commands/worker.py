"""`crewbase worker`: deliver the outbox and run background tasks (API-3, API-5)."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crewbase.core import delivery
from crewbase.core.mail import SmtpUrlError, mailbox_dir, parse_smtp_url, smtp_configured
from crewbase.core.worker import WorkerLoop


class Command(BaseCommand):
    help = (
        "Run the background worker: delivers queued email with retries and runs due tasks. "
        "Stops cleanly on SIGTERM or Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Deliver what is due and run ready tasks, then exit (for cron and tests).",
        )
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=5.0,
            help="Seconds between sweeps of the outbox for due messages (default 5).",
        )
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=1.0,
            help="Seconds between checks for ready tasks (default 1).",
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="Messages claimed at a time (default 50)."
        )

    def handle(self, *, once, sweep_interval, poll_interval, batch, **options):
        if sweep_interval <= 0 or poll_interval < 0 or batch < 1:
            raise CommandError("--sweep-interval must be > 0, --poll-interval >= 0, --batch >= 1")
        if smtp_configured():
            try:
                smtp = parse_smtp_url(settings.SMTP_URL)
            except SmtpUrlError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"sending mail through {smtp.host}:{smtp.port}")
        else:
            self.stdout.write(f"no SMTP_URL: writing mail to {mailbox_dir()} (see /dev/mailbox/)")

        # Each delivery (by the sweep or by a task) is logged; print those lines here.
        printer = logging.StreamHandler(self.stdout)
        printer.setFormatter(logging.Formatter("%(message)s"))
        delivery_log = logging.getLogger(delivery.__name__)
        delivery_log.addHandler(printer)
        delivery_log.setLevel(logging.INFO if options["verbosity"] > 0 else logging.WARNING)
        delivery_log.propagate = False  # printed here; not a second time by the root logger
        try:
            self._run(once, sweep_interval, poll_interval, batch)
        finally:
            delivery_log.removeHandler(printer)
            delivery_log.propagate = True

    def _run(self, once, sweep_interval, poll_interval, batch):
        loop = WorkerLoop(
            sweep_interval=sweep_interval,
            poll_interval=poll_interval,
            batch=batch,
            say=self.stdout.write,
        )
        if once:
            loop.run_once()
            self.stdout.write("done: nothing more is due")
            return

        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: self._stop(loop))
        loop.run_forever()

    def _stop(self, loop: WorkerLoop) -> None:
        if loop.stopping.is_set():
            # Asked twice: do not wait for a hung send. A message left half-done keeps its
            # lease and is retried by the next worker (FAIL-3).
            raise SystemExit(1)
        self.stdout.write("stopping after the current message… (again to stop at once)")
        loop.stop()
