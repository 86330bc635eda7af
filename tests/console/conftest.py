import pytest
from django.test import Client

from tests.conftest import make_account, make_member


@pytest.fixture
def scene(db):
    """An account with an owner (admin) and an agent, and a second account with one member."""
    account, owner = make_account(name="Harbor Help")
    agent = make_member(account, "agent", email="agnes@example.com")
    other_account, other_owner = make_account(name="Elsewhere")
    stranger = make_member(other_account, "agent", email="stranger@example.com")
    return {
        "account": account,
        "owner": owner,
        "agent": agent,
        "other_owner": other_owner,
        "stranger": stranger,
    }


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member.person)
    return client
