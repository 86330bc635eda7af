"""A SCIM client for the live app, in-process through WSGI, with the account's token."""

import pytest
from django.core.wsgi import get_wsgi_application

from crewbase.identity.scim.actions.tokens import rotate_scim_token
from tests.browser.conftest import (  # noqa: F401  (the token page's browser test uses them)
    browser,
    fresh_rate_limits,
    new_page,
)
from tests.conftest import actor_for, make_account
from tests.core.conftest import mailbox_dir, smtp  # noqa: F401  (needed by tests.browser fixtures)

BASE_URL = "http://localhost/scim/v2"


def scim_token(owner) -> str:
    return rotate_scim_token(actor=actor_for(owner))[1]


@pytest.fixture
def scim_account(db):
    account, owner = make_account()
    return account, owner, scim_token(owner)


@pytest.fixture
def wsgi_app():
    return get_wsgi_application()


@pytest.fixture
def scim(client, scim_account):
    """Django's test client speaking SCIM JSON with the account's bearer token."""
    account, owner, token = scim_account

    class Scim:
        def __init__(self):
            self.account, self.owner, self.token = account, owner, token

        def call(self, method, path, body=None, token=None, **headers):
            import json

            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token or self.token}", **headers}
            if body is not None:
                kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
                kwargs["content_type"] = "application/scim+json"
            return getattr(client, method.lower())(f"/scim/v2{path}", **kwargs)

    return Scim()
