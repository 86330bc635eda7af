import pytest

from crewbase.api.actions import create_api_token
from tests.api.client import ApiClient
from tests.browser.conftest import (  # noqa: F401  (browser fixtures for test_browser.py)
    browser,
    fresh_rate_limits,
    new_page,
)
from tests.conftest import actor_for, make_account, make_member
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (tests.browser fixtures use them)


def host_token(member, scopes=("work_events.write",)) -> str:
    _, secret = create_api_token(actor=actor_for(member), name="helpdesk", scopes=list(scopes))
    return secret


@pytest.fixture
def host(db):
    """An account whose owner holds a work_events.write token, with two agents."""
    account, owner = make_account()
    agent = make_member(account, email="agent.one@example.com")
    other_agent = make_member(account, email="agent.two@example.com")
    return {
        "account": account,
        "owner": owner,
        "agent": agent,
        "other_agent": other_agent,
        "api": ApiClient(token=host_token(owner)),
    }
