"""A real OpenID Connect provider (oidc-provider-mock) in a thread, and SSO scenes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from crewbase.identity.sso.actions import create_sso_connection, set_sso_connection_enabled
from crewbase.identity.sso.models import SsoConnection
from tests.browser.conftest import (  # noqa: F401  (browser fixtures for test_browser.py)
    browser,
    fresh_rate_limits,
    new_page,
)
from tests.conftest import actor_for, builtin_role, make_account
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (needed by tests.browser)


@pytest.fixture(scope="session")
def oidc_server():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def set_idp_user(issuer: str, sub: str, **claims) -> None:
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10)
    assert response.status_code == 204, response.text


@pytest.fixture
def acme(db):
    account, owner = make_account(name="Acme", owner_email="owner@acme.test")
    return account, owner


def make_oidc_connection(owner, issuer: str, **data) -> SsoConnection:
    fields = {
        "name": "Acme IdP",
        "preset": "oidc",
        "issuer": issuer,
        "client_id": "crewbase-test-client",
        "client_secret": "s3cret-value",
        "domains": ["acme.test"],
        "provisioning": "jit",
        "default_role_id": builtin_role("agent").pk,
    }
    return create_sso_connection(actor=actor_for(owner), data=fields | data)


def mark_tested_and_enable(owner, connection: SsoConnection) -> SsoConnection:
    # The test sign-in itself is covered by test_test_sign_in_shows_claims_then_allows_enable.
    SsoConnection.objects.filter(pk=connection.pk).update(tested_at="2026-01-01T00:00:00Z")
    connection.refresh_from_db()
    return set_sso_connection_enabled(actor=actor_for(owner), connection=connection, enabled=True)


def idp_authorize(authorize_url: str, sub: str) -> str:
    """The person picks `sub` on the provider's page; returns the redirect back to Crewbase."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture(scope="session")
def saml_idp():
    from tests.sso.saml_idp import TestIdP

    return TestIdP()
