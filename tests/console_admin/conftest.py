"""Scenes for the admin pages: an owner, an admin, an agent, and a second account."""

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.conftest import make_account, make_member


@dataclass
class Scene:
    account: object
    owner: object
    admin: object
    agent: object
    other_account: object
    other_owner: object


def client_for(member) -> Client:
    client = Client()
    client.force_login(member.person)
    return client


@pytest.fixture
def scene(db):
    account, owner = make_account()
    other_account, other_owner = make_account()
    return Scene(
        account=account,
        owner=owner,
        admin=make_member(account, "admin"),
        agent=make_member(account, "agent"),
        other_account=other_account,
        other_owner=other_owner,
    )
