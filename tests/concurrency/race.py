"""Run many calls at the same instant on their own threads and database connections."""

import threading
import traceback
from dataclasses import dataclass

from django.db import connection

from crewbase.core.errors import DomainError

THREADS = 24


@dataclass
class Outcome:
    value: object = None
    refusal: DomainError | None = None
    crash: str = ""  # a traceback: anything that is not a clean domain refusal

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.crash


def run_together(calls) -> list[Outcome]:
    """Start every call at once (a barrier releases them together); collect what happened.

    Each thread closes its own database connection at the end, as a request would.
    """
    calls = list(calls)
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def work(index, call):
        try:
            barrier.wait()
            outcomes[index].value = call()
        except DomainError as refusal:
            outcomes[index].refusal = refusal
        except Exception:
            outcomes[index].crash = traceback.format_exc()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return outcomes


def crashes(outcomes) -> list[str]:
    """The last line of each crash (the error and its message), one per crashed call."""
    return [outcome.crash.strip().splitlines()[-1] for outcome in outcomes if outcome.crash]


def assert_no_crashes(outcomes) -> None:
    """Every call succeeded or was refused with a domain error; else show the first traceback."""
    crashed = [outcome.crash for outcome in outcomes if outcome.crash]
    assert not crashed, (
        f"{len(crashed)} of {len(outcomes)} calls crashed: {sorted(set(crashes(outcomes)))}\n"
        f"first traceback:\n{crashed[0]}"
    )
