"""AUTH-2 across processes: two real gunicorn servers share the sign-in counters through Redis,
so failures made through one lock the email on the other.

Runs against REDIS_URL when set, else the local Redis (database 4); skipped when none answers.
"""

import os

import pytest
import requests

from crewbase.signin import throttle
from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.freshness.test_two_processes import two_servers  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


def _forget_counters(client) -> None:
    for pattern in ("crewbase:*signin:*", "crewbase:*allauth*"):
        for key in client.scan_iter(match=pattern, count=500):
            client.delete(key)


@pytest.fixture
def shared_cache(settings):
    client = _redis()
    _forget_counters(client)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "crewbase",
        }
    }
    yield client
    _forget_counters(client)


@pytest.fixture
def servers(shared_cache, monkeypatch, request):
    # The freshness test's two gunicorn processes, started with REDIS_URL in their environment.
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    return request.getfixturevalue("two_servers")


def attempt(base: str, email: str, password: str) -> requests.Response:
    import re

    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )


def test_failures_through_one_process_lock_the_email_on_the_other(servers):
    server_a, server_b = servers
    account, _ = make_account()
    agent = make_member(account, "agent", email="shared.counter@example.com")
    for _ in range(3):
        assert attempt(server_a, agent.email, "wrong guess number one").status_code == 200
    assert attempt(server_b, agent.email, "wrong guess number two").status_code == 200
    # Both processes counted into the one Redis counter this process reads too.
    assert throttle.failures("password", agent.email) == 4
    # Six more failures (what an attacker gets in over the next minutes) start a lockout.
    for _ in range(6):
        throttle.fail("password", agent.email)
    for base in (server_a, server_b):
        refused = attempt(base, agent.email, TEST_PASSWORD)
        assert refused.status_code == 200, refused.status_code
        assert "Too many failed attempts. Try again in 1 minute." in refused.text
    # The right password after the lock is lifted signs in on either process.
    throttle.succeed("password", agent.email)
    assert attempt(server_b, agent.email, TEST_PASSWORD).status_code == 302
