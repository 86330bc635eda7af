"""No request to the admin pages, however malformed, is a server error (FAIL-2)."""

import pytest

from tests.console_admin.conftest import client_for

JUNK = {
    "form": ["token", "name", "x"],
    "name": "\x00" + "é" * 3000,
    "first_name": ["a", "b"],
    "permissions": ["", "users.view", "\u202e"],
    "scopes": "users.view",
    "expires_in": "-1",
    "clone_of": "0x10",
    "invite_expiry_days": "٣",  # an Arabic-Indic digit: isdigit() but not a plain number
    "allowed_domains": "a..b\nexample.com\n" + "x" * 300 + ".com",
    "blocked_domains": "-bad-.com",
    "theme": ["dark", "light"],
    "time_zone": "../../etc/passwd",
    "new_contact": "1e9",
    "new_owner": "٣",
    "confirmed": "yes",
    "format": "csv\r\n",
    "type": "' OR 1=1 --",
    "actor": "٣",
    "member": "²",  # superscript two: isdigit() is true, yet int() refuses it
    "older_than": "²",
    "newer_than": "¹²",
    "since": "2024-02-30",
}

URLS = [
    "/roles/",
    "/roles/new/",
    "/roles/999999999999999999999/",
    "/roles/999999999999999999999/delete/",
    "/activity/",
    "/activity/export/",
    "/billing/",
    "/billing/billing-contact/",
    "/billing/ownership/",
    "/billing/undo-cancel/",
    "/security/",
    "/security/tokens/999999999999999999999/revoke/",
    "/settings/",
]


@pytest.mark.parametrize("url", URLS)
def test_junk_get_and_post_never_fail(scene, url):
    client = client_for(scene.owner)
    assert client.get(url, JUNK).status_code < 500
    assert client.post(url, JUNK).status_code < 500


@pytest.mark.parametrize("url", URLS)
def test_signed_out_visitors_never_reach_a_page(scene, url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code in (302, 405)
