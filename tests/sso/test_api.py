"""/api/v1/sso/connections: create, read, change, enable, delete; every bad input is a 422
naming its field; secrets are write-only; another account's connection is a 404."""

from __future__ import annotations

import pytest

from crewbase.audit.models import ActivityEvent
from tests.api.client import ApiClient
from tests.conftest import builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db

OIDC = {
    "name": "Okta",
    "preset": "okta",
    "issuer": "https://acme.okta.example",
    "client_id": "0oa-client",
    "client_secret": "very-secret",
    "domains": ["acme.test"],
    "provisioning": "pre",
}


def test_create_read_update_delete(acme):
    account, owner = acme
    api = ApiClient(person=owner.person)
    created = api.post("/sso/connections", OIDC)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["has_client_secret"] is True and "very-secret" not in created.content.decode()
    assert body["domains"] == ["acme.test"] and body["enabled"] is False
    assert body["sign_in_url"] == f"/sso/{account.pk}/"
    cid = body["id"]
    assert [c["id"] for c in api.get("/sso/connections").json()] == [cid]
    changed = api.patch(
        f"/sso/connections/{cid}",
        {"name": "Okta EU", "provisioning": "jit", "default_role_id": builtin_role("agent").pk},
    )
    assert changed.status_code == 200 and changed.json()["provisioning"] == "jit"
    refused = api.post(f"/sso/connections/{cid}/enabled", {"enabled": True})
    assert refused.status_code == 409 and "test sign-in" in refused.json()["message"]
    enforce = api.patch(f"/sso/connections/{cid}", {"enforced": True})
    assert enforce.status_code == 422 and "enforced" in enforce.json()["errors"]
    assert api.delete(f"/sso/connections/{cid}").status_code == 204
    assert api.get(f"/sso/connections/{cid}").status_code == 404
    kinds = set(ActivityEvent.objects.filter(account=account).values_list("action", flat=True))
    assert {"sso.connection_created", "sso.connection_updated", "sso.connection_deleted"} <= kinds


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"domains": ["gmail.com"]}, "domains", "personal email provider"),
        ({"domains": ["nobody-here.test"]}, "domains", "no active member"),
        ({"domains": ["not a domain"]}, "domains", "not a domain name"),
        ({"issuer": "ftp://x"}, "issuer", "http"),
        ({"client_secret": ""}, "client_secret", "required"),
        ({"preset": "facebook"}, "preset", "must be one of"),
        ({"provisioning": "auto"}, "provisioning", "must be one of"),
        ({"default_role_id": 999999}, "default_role_id", "no role"),
        ({"group_mapping": [{"group": "x"}]}, "group_mapping", "role, teams or both"),
        (
            {"group_mapping": [{"group": "x", "team_ids": [999999]}]},
            "group_mapping",
            "no such team",
        ),
    ],
)
def test_bad_input_names_the_field(acme, change, field, reason):
    _account, owner = acme
    response = ApiClient(person=owner.person).post("/sso/connections", OIDC | change)
    assert response.status_code == 422, response.content
    assert reason in response.json()["errors"][field]


def test_a_domain_belongs_to_one_connection_only(acme):
    _account, owner = acme
    ApiClient(person=owner.person).post("/sso/connections", OIDC)
    other, other_owner = make_account(owner_email="boss@elsewhere.test")
    make_member(other, email="someone@acme.test")  # even with a member at that domain
    response = ApiClient(person=other_owner.person).post("/sso/connections", OIDC)
    assert response.status_code == 422
    assert "already used by another SSO connection" in response.json()["errors"]["domains"]


def test_an_admin_cannot_map_groups_to_more_than_they_can_grant(acme):
    account, _owner = acme
    custom = make_member(account, role="supervisor", email="sup@acme.test")
    from crewbase.access.models import Role

    role = Role.objects.create(account=account, name="Manager", permissions=["security.manage"])
    custom.role = role
    custom.save()
    response = ApiClient(person=custom.person).post(
        "/sso/connections",
        OIDC | {"group_mapping": [{"group": "x", "role_id": builtin_role("admin").pk}]},
    )
    assert response.status_code == 422
    assert "permissions you do not hold" in response.json()["errors"]["group_mapping"]


def test_saml_from_metadata_xml_and_its_errors(acme, saml_idp):
    _account, owner = acme
    api = ApiClient(person=owner.person)
    response = api.post(
        "/sso/connections",
        {
            "name": "SAML",
            "preset": "saml",
            "metadata_xml": saml_idp.metadata_xml(),
            "domains": ["acme.test"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["idp_entity_id"] == saml_idp.entity_id
    bad = api.post("/sso/connections", {"name": "S", "preset": "saml", "metadata_xml": "<nope"})
    assert bad.status_code == 422 and "metadata_xml" in bad.json()["errors"]
    missing = api.post("/sso/connections", {"name": "S", "preset": "saml"})
    assert set(missing.json()["errors"]) >= {"idp_entity_id", "idp_sso_url", "idp_certificate"}


def test_another_accounts_connection_is_not_found(acme):
    _account, owner = acme
    cid = ApiClient(person=owner.person).post("/sso/connections", OIDC).json()["id"]
    _other, other_owner = make_account()
    api = ApiClient(person=other_owner.person)
    assert api.get(f"/sso/connections/{cid}").status_code == 404
    assert api.patch(f"/sso/connections/{cid}", {"name": "x"}).status_code == 404
    assert api.delete(f"/sso/connections/{cid}").status_code == 404
