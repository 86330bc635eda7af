"""The SCIM token page: create, rotate (old token refused at once), revoke; admins only."""

import re

import pytest
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.identity.scim.models import ScimToken
from tests.conftest import make_account, make_member

pytestmark = pytest.mark.django_db
SECRET = re.compile(r'id="scim-secret" tabindex="0">(scim_[^<]+)<')


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member.person)
    return client


def scim_get(token):
    return Client().get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_owner_creates_rotates_and_revokes_the_token_from_the_console():
    account, owner = make_account()
    console = signed_in(owner)
    page = console.get("/security/scim/")
    assert page.status_code == 200 and "SCIM is off" in page.text
    assert "http://127.0.0.1:8000/scim/v2" in page.text or "/scim/v2" in page.text
    assert "/security/scim/" in console.get("/security/").text

    first = SECRET.search(console.post("/security/scim/").text).group(1)
    assert scim_get(first).status_code == 200
    status = console.get("/security/scim/").text
    assert first not in status and ScimToken.objects.get(account=account).prefix in status

    second = SECRET.search(console.post("/security/scim/").text).group(1)
    assert scim_get(first).status_code == 401 and scim_get(second).status_code == 200
    assert "Last used" in console.get("/security/scim/").text

    confirm = console.get("/security/scim/revoke/")
    assert confirm.status_code == 200 and "Revoke the SCIM token?" in confirm.text
    assert console.post("/security/scim/revoke/").status_code == 302
    assert scim_get(second).status_code == 401
    actions = list(
        ActivityEvent.objects.filter(account=account, action__startswith="scim.token")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["scim.token_created", "scim.token_rotated", "scim.token_revoked"]


def test_members_without_security_manage_cannot_see_or_make_the_token():
    account, _owner = make_account()
    agent = make_member(account, "agent")
    console = signed_in(agent)
    assert console.get("/security/scim/").status_code == 403
    assert console.post("/security/scim/").status_code == 403
    assert not ScimToken.objects.filter(account=account).exists()


def test_the_profile_shows_the_scim_identity_of_a_provisioned_member(scim):
    created = scim.call(
        "POST",
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "grace@example.com",
            "externalId": "00u-grace",
        },
    ).json()
    profile = signed_in(scim.owner).get(f"/members/{created['id']}/")
    assert profile.status_code == 200
    assert "Provisioning (SCIM)" in profile.text and "00u-grace" in profile.text
    plain = signed_in(scim.owner).get(f"/members/{scim.owner.pk}/")
    assert "Provisioning (SCIM)" not in plain.text
