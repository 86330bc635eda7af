import pytest

from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts failed sign-ins and reset requests per address in the cache; every test
    # comes from 127.0.0.1, so start each one with clean counters.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
