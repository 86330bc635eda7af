import pytest

from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts sign-ins per address in the cache; every test starts with clean counters.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
