"""`crewbase serve`: gunicorn plus the background worker, started and stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from crewbase.cli.base import CrewbaseCommand, bad_input

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How long children get to finish their requests and deliveries before they are killed.
GRACE_SECONDS = 15


def _unapplied_migrations() -> int:
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(CrewbaseCommand):
    requires_system_checks = "__all__"
    help = (
        "Serve Crewbase with gunicorn (crewbase.config.wsgi) and run the background worker "
        "beside it (unless --no-worker). Collects static files first. Ctrl-C or SIGTERM stops "
        "both. Port 0 picks a free port; gunicorn prints the address it listens on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to bind (8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CREWBASE_WEB_WORKERS", "2")),
            metavar="N",
            help="gunicorn worker processes (default 2, or CREWBASE_WEB_WORKERS)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `crewbase worker` elsewhere)",
        )

    def handle(self, *args, **options):
        host, port, workers = options["host"], options["port"], options["workers"]
        if not 0 <= port <= 65535:
            raise bad_input(f"--port: {port} is not a port number (0 to 65535)")
        if workers < 1:
            raise bad_input("--workers: must be at least 1")
        run_worker = not options["no_worker"]
        if run_worker and "worker" not in get_commands():
            raise bad_input("the background worker is not installed here; use --no-worker")

        pending = _unapplied_migrations()
        if pending:
            self.progress(f"Warning: {pending} migrations are not applied; run `crewbase migrate`.")
        self.progress(f"Collecting static files into {settings.STATIC_ROOT}…")
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # the children open their own connections

        children = self._start(host, port, workers, run_worker)
        return self._supervise(children)

    def _start(self, host, port, workers, run_worker) -> dict[str, subprocess.Popen]:
        env = os.environ.copy()
        env.setdefault("DJANGO_SETTINGS_MODULE", "crewbase.config.settings")
        if port and "CREWBASE_BASE_URL" not in env:
            # Links in emails should point at the address this server answers on.
            env["CREWBASE_BASE_URL"] = f"http://{host}:{port}"
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "crewbase.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            str(GRACE_SECONDS - 5),
            "--access-logfile",
            "-",
            # gunicorn's control socket lives at one path per user: two servers would collide.
            "--no-control-socket",
        ]
        children = {"web": subprocess.Popen(gunicorn, env=env)}
        if port:
            self.progress(f"Crewbase is starting at http://{host}:{port}/ (Ctrl-C stops it)")
        if run_worker:
            worker = [sys.executable, "-m", "crewbase.cli.main", "worker"]
            children["worker"] = subprocess.Popen(worker, env=env)
            self.progress("Background worker started (delivers email and scheduled work).")
        return children

    def _supervise(self, children: dict[str, subprocess.Popen]) -> None:
        stop_requested = []

        def request_stop(signum, frame):
            stop_requested.append(signum)

        previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
        try:
            while not stop_requested:
                ended = [name for name, child in children.items() if child.poll() is not None]
                if ended:
                    name = ended[0]
                    self._stop(children)
                    raise CommandError(
                        f"the {name} process stopped unexpectedly "
                        f"(exit status {children[name].returncode}); everything was stopped",
                        returncode=1,
                    )
                time.sleep(0.3)
            self.progress("Stopping…")
            self._stop(children)
            self.progress("Stopped.")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
