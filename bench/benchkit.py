"""What every benchmark script shares: Django set up on its own data dir, and a fresh database."""

import os
import sys
from pathlib import Path


def setup_django(data_dir: str) -> None:
    os.environ["CREWBASE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewbase.config.settings")
    # The repository root, so the scripts can use the test builders.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()


def fresh_database() -> None:
    """An empty, migrated database; refuses to wipe anything not obviously a bench database."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            sys.exit(f"refusing to wipe database {name!r}: its name must contain 'bench'")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def timed(fn, runs: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `runs` calls, after one warm-up call."""
    import statistics
    import time

    fn()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]
