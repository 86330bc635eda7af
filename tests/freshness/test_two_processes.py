"""ROLE-4 and LIFE-2 across processes: a change made through one app server is enforced on the
member's very next request through another, with no sign-out.

Two real gunicorn processes serve the test database; the member signs in through a real browser
session (allauth's login form) and keeps using the same cookie on both servers.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from crewbase.access.permissions import ALL_PERMISSIONS
from crewbase.api.actions import create_api_token
from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_account, make_member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=shared_database_url())
    return subprocess.Popen(
        [GUNICORN, "crewbase.config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode(errors="replace"))
        try:
            requests.get(f"{base}/healthz", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


@pytest.fixture
def two_servers():
    ports = [free_port(), free_port()]
    processes = [start_server(port) for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def sign_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = browser.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert done.status_code == 200, done.text[:500]
    assert "sessionid" in browser.cookies
    return browser


def test_role_change_and_deactivation_apply_on_the_next_request_elsewhere(two_servers):
    server_a, server_b = two_servers
    account, owner = make_account()
    member = make_member(account, "admin", email="moving@example.com")
    _, owner_token = create_api_token(
        actor=actor_for(owner), name="owner automation", scopes=sorted(ALL_PERMISSIONS)
    )
    as_owner = {"Authorization": f"Bearer {owner_token}"}

    browser = sign_in(server_a, member.email)
    # The admin may read the activity log, through either process.
    assert browser.get(f"{server_a}/api/v1/activity", timeout=10).status_code == 200
    assert browser.get(f"{server_b}/api/v1/activity", timeout=10).status_code == 200

    changed = requests.post(
        f"{server_a}/api/v1/members/{member.pk}/role",
        json={"role_id": builtin_role("agent").pk},
        headers=as_owner,
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    # Very next request, other process, same session: the old role's power is gone.
    refused = browser.get(f"{server_b}/api/v1/activity", timeout=10)
    assert refused.status_code == 403, refused.text
    assert browser.get(f"{server_b}/api/v1/me", timeout=10).status_code == 200

    changed = requests.post(
        f"{server_b}/api/v1/members/{member.pk}/role",
        json={"role_id": builtin_role("admin").pk},
        headers=as_owner,
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    # Changing to Admin grants full access at once, again on the other process.
    assert browser.get(f"{server_a}/api/v1/activity", timeout=10).status_code == 200

    deactivated = requests.post(
        f"{server_b}/api/v1/members/{member.pk}/deactivate", json={}, headers=as_owner, timeout=10
    )
    assert deactivated.status_code == 200, deactivated.text
    assert browser.get(f"{server_a}/api/v1/me", timeout=10).status_code == 401
    assert browser.get(f"{server_a}/api/v1/activity", timeout=10).status_code == 401
