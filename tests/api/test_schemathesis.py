"""Property-based fuzzing of /api/v1 from its own OpenAPI document: no input yields a 5xx.

schemathesis generates valid and invalid requests for every operation (wrong types, missing
fields, huge numbers, NUL bytes, odd Unicode) and sends them in-process through the WSGI app,
authenticated with an admin-scoped token of the account owner.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from crewbase.access.permissions import ALL_PERMISSIONS
from crewbase.api.actions import create_api_token
from crewbase.config.wsgi import application
from tests.conftest import actor_for, make_account, make_member

# Bounded so the whole run stays well under a minute (FAIL-2 is about breadth, not depth).
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def keep_test_connection(db):
    """Django closes the connection after each request; in a test transaction that ends the
    test. Django's own test client turns this off the same way; schemathesis's does not."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(keep_test_connection):
    account, owner = make_account(paid_agent_seats=2)
    for role in ("admin", "supervisor", "agent", "agent"):
        make_member(account, role)
    _, secret = create_api_token(
        actor=actor_for(owner), name="schemathesis", scopes=sorted(ALL_PERMISSIONS)
    )
    return secret


# Reading the OpenAPI document touches no database, so it is loaded once at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.slow
def test_no_input_makes_a_server_error(case, api_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error]
    )
