"""Each built-in role against each admin page: the page answers as the nav promises."""

import pytest

from tests.conftest import make_member
from tests.console_admin.conftest import client_for

PAGES = {
    "/roles/": ("Roles", {"admin", "supervisor", "editor", "agent", "read_only"}),
    "/roles/new/": (None, {"admin"}),
    "/activity/": ("Activity", {"admin", "supervisor"}),
    "/billing/": ("Billing", {"admin"}),
    "/security/": ("Security", {"admin"}),
    "/settings/": ("Settings", {"admin", "supervisor", "editor", "agent", "read_only"}),
}
ROLES = ["admin", "supervisor", "editor", "agent", "read_only"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_its_permissions_allow(scene, role):
    client = client_for(make_member(scene.account, role))
    nav = client.get("/settings/").content.decode().split('aria-label="Console"')[1]
    nav = nav.split("</nav>")[0]
    for url, (label, allowed) in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)
        if label is not None:
            assert (f'href="{url}"' in nav) == (role in allowed), (role, url)


def test_the_owner_sees_everything_whatever_their_role(scene):
    client = client_for(scene.owner)
    for url in PAGES:
        assert client.get(url).status_code == 200
