import pytest

from crewbase.core import clock
from tests.conftest import make_account, make_member


@pytest.fixture
def gov(db):
    """An account with an owner, an admin, a supervisor and two agents; another account."""
    account, owner = make_account(name="Harbor Help", paid_agent_seats=5)
    account.time_zone = "Europe/Paris"
    account.save()
    return {
        "account": account,
        "owner": owner,
        "admin": make_member(account, "admin", email="ada@harbor.example"),
        "supervisor": make_member(account, "supervisor", email="sam@harbor.example"),
        "agent": make_member(account, "agent", email="agnes@harbor.example", agent_access=True),
        "agent2": make_member(account, "agent", email="omar@harbor.example"),
        "stranger": make_member(make_account(name="Elsewhere")[0], "admin"),
    }


@pytest.fixture
def frozen():
    """Move the clock by hand: frozen(at) pins it; released after the test."""
    yield clock.freeze
    clock.freeze(None)
