import pytest

from crewbase.core import clock
from tests.browser.conftest import browser, new_page  # noqa: F401  (shared browser fixtures)
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def fresh_counters():
    # allauth keeps rate limits and used TOTP codes in the cache; every test starts clean.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
    clock.freeze(None)
