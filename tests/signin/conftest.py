from datetime import UTC, datetime

import pytest

from crewbase.core import clock


@pytest.fixture(autouse=True)
def fresh_counters():
    # Throttle counters and allauth's rate limits live in the cache; every test starts clean.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_clock():
    """Moves time by hand: `frozen_clock.advance(seconds)`."""

    class Clock:
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

        def advance(self, seconds: float) -> None:
            from datetime import timedelta

            self.at += timedelta(seconds=seconds)
            clock.freeze(self.at)

    moved = Clock()
    clock.freeze(moved.at)
    yield moved
    clock.freeze(None)


from tests.browser.conftest import (  # noqa: E402, F401  (browser fixtures, shared)
    browser,
    new_page,
    serious_violations,
)
from tests.core.conftest import mailbox_dir, smtp  # noqa: E402, F401  (needed by them)
