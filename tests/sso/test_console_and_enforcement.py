"""The console's test sign-in, home-realm discovery, the sign-in link, enforced SSO with the
owner's break-glass password, and the members list's "Enforced auth" column and filter."""

from __future__ import annotations

import pytest
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.core.models import OutboxMessage
from crewbase.identity.sso.actions import update_sso_connection
from crewbase.identity.sso.models import SsoConnection
from tests.api.client import ApiClient
from tests.conftest import TEST_PASSWORD, actor_for, make_member
from tests.sso.conftest import (
    idp_authorize,
    local,
    make_oidc_connection,
    mark_tested_and_enable,
    set_idp_user,
)

pytestmark = pytest.mark.django_db


def test_test_sign_in_shows_claims_then_allows_enable(oidc_server, acme):
    account, owner = acme
    connection = make_oidc_connection(owner, oidc_server)
    admin = Client()
    admin.force_login(owner.person)
    refused = admin.post(f"/security/sso/{connection.pk}/enable/", {"enabled": "1"}, follow=True)
    assert b"test sign-in" in refused.content
    assert not SsoConnection.objects.get(pk=connection.pk).enabled

    set_idp_user(
        oidc_server, "tess", email="tess@acme.test", email_verified=True, groups=["agents"]
    )
    start = admin.post(f"/security/sso/{connection.pk}/test/")
    assert start.status_code == 302
    back = admin.get(local(idp_authorize(start["Location"], "tess")))
    assert back["Location"] == f"/security/sso/{connection.pk}/"
    page = admin.get(back["Location"])
    assert b"every check passed" in page.content and b"tess@acme.test" in page.content
    assert b"agents" in page.content
    connection.refresh_from_db()
    assert connection.tested_at is not None and connection.test_claims["email"] == "tess@acme.test"
    # A test sign-in signs nobody in and creates nobody.
    assert not account.members.filter(email="tess@acme.test").exists()

    admin.post(f"/security/sso/{connection.pk}/enable/", {"enabled": "1"})
    connection.refresh_from_db()
    assert connection.enabled
    # Changing how the IdP is reached clears the test and disables again.
    update_sso_connection(
        actor=actor_for(owner), connection=connection, data={"issuer": oidc_server + "/"}
    )
    connection.refresh_from_db()
    assert not connection.enabled and connection.tested_at is None


def test_test_sign_in_with_a_problem_shows_it_and_does_not_count(oidc_server, acme):
    _account, owner = acme
    connection = make_oidc_connection(owner, oidc_server)
    admin = Client()
    admin.force_login(owner.person)
    set_idp_user(oidc_server, "outsider", email="x@elsewhere.test", email_verified=True)
    start = admin.post(f"/security/sso/{connection.pk}/test/")
    page = admin.get(local(idp_authorize(start["Location"], "outsider")), follow=True)
    assert b"is not an address of this connection" in page.content
    connection.refresh_from_db()
    assert connection.tested_at is None


def test_home_realm_discovery_and_the_account_link(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    client = Client()
    assert b"Continue with SSO" in client.get("/accounts/login/").content
    found = client.post("/sso/discover/", {"email": "Someone@ACME.test"})
    assert found.status_code == 302 and found["Location"].startswith(oidc_server)
    unknown = client.post("/sso/discover/", {"email": "someone@nowhere.test"})
    assert unknown.status_code == 422 and b"No single sign-on" in unknown.content
    link = client.get(f"/sso/{account.pk}/")
    assert link.status_code == 200 and f"/sso/start/{connection.pk}/".encode() in link.content
    assert client.get("/sso/999999/").status_code == 404


def _enforce(owner, connection):
    update_sso_connection(actor=actor_for(owner), connection=connection, data={"enforced": True})


def test_enforced_sso_refuses_member_passwords_and_resets(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    member = make_member(account, email="agent@acme.test")
    _enforce(owner, connection)
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert b"requires single sign-on" in response.content
    assert f"/sso/{account.pk}/".encode() in response.content
    assert "_auth_user_id" not in client.session
    assert ActivityEvent.objects.filter(action="sso.password_refused", target_id=member.pk).exists()

    before = OutboxMessage.objects.count()
    client.post("/accounts/password/reset/", {"email": member.email})
    mail = OutboxMessage.objects.order_by("-pk")[: OutboxMessage.objects.count() - before]
    bodies = [str(m.payload) for m in mail]
    assert any("single sign-on" in b and f"/sso/{account.pk}/" in b for b in bodies)
    assert not any("password/reset/key" in b for b in bodies)

    # The same member still signs in through SSO.
    set_idp_user(oidc_server, "agent", email="agent@acme.test", email_verified=True)
    sso = Client()
    callback = idp_authorize(sso.post(f"/sso/start/{connection.pk}/")["Location"], "agent")
    assert sso.get(local(callback)).status_code == 302
    assert sso.get("/api/v1/me").json()["member"]["email"] == "agent@acme.test"


def test_owner_break_glass_password_works_and_is_recorded(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    _enforce(owner, connection)
    client = Client()
    response = client.post("/accounts/login/", {"login": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["member"]["email"] == owner.email
    event = ActivityEvent.objects.get(account=account, action="sso.break_glass_sign_in")
    assert event.target_id == owner.pk


def test_passwords_work_while_sso_is_not_enforced(oidc_server, acme):
    account, owner = acme
    mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    member = make_member(account, email="free@acme.test")
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_enforced_auth_column_and_filter(oidc_server, acme):
    account, owner = acme
    connection = mark_tested_and_enable(owner, make_oidc_connection(owner, oidc_server))
    make_member(account, email="agent@acme.test")
    api = ApiClient(person=owner.person)
    everyone = {m["email"] for m in api.get("/members?enforced_auth=password").json()["items"]}
    assert everyone == {owner.email, "agent@acme.test"}
    assert api.get("/members?enforced_auth=sso").json()["items"] == []
    _enforce(owner, connection)
    sso = {m["email"] for m in api.get("/members?enforced_auth=sso").json()["items"]}
    assert sso == {"agent@acme.test"}
    password = {m["email"] for m in api.get("/members?enforced_auth=password").json()["items"]}
    assert password == {owner.email}
    bad = api.get("/members?enforced_auth=maybe")
    assert bad.status_code == 422 and "enforced_auth" in bad.json()["errors"]
    admin = Client()
    admin.force_login(owner.person)
    page = admin.get("/members/?enforced_auth=sso")
    assert b"Enforced auth" in page.content and b"agent@acme.test" in page.content


def test_console_add_edit_map_and_remove_a_connection(acme):
    account, owner = acme
    from crewbase.org.actions import create_team
    from tests.conftest import builtin_role

    create_team(actor=actor_for(owner), name="Tier 2")
    admin = Client()
    admin.force_login(owner.person)
    assert b"No single sign-on yet" in admin.get("/security/sso/").content
    bad = admin.post("/security/sso/", {"preset": "okta", "provisioning": "pre"})
    assert bad.status_code == 422
    assert b"Required for an OpenID Connect connection" in bad.content
    assert b"Enter a name" in bad.content
    form = {
        "name": "Okta",
        "preset": "okta",
        "issuer": "https://acme.okta.example",
        "client_id": "abc",
        "client_secret": "xyz",
        "domains": "acme.test",
        "provisioning": "jit",
        "default_role_id": str(builtin_role("agent").pk),
        "groups_attribute": "groups",
        "group_mapping": "support-leads: Supervisor | Tier 2\nnobody: Ghost role",
    }
    refused = admin.post("/security/sso/", form)
    assert refused.status_code == 422 and b"no role named" in refused.content
    form["group_mapping"] = "support-leads: Supervisor | Tier 2"
    created = admin.post("/security/sso/", form)
    assert created.status_code == 302
    connection = SsoConnection.objects.get(account=account)
    assert connection.group_mapping[0]["group"] == "support-leads"
    page = admin.get(created["Location"])
    assert b"support-leads: Supervisor | Tier 2" in page.content
    assert b"/accounts/oidc/crewbase-" in page.content  # the redirect URI to give Okta
    # Saving again without a secret keeps the stored one.
    del form["client_secret"]
    assert admin.post(created["Location"], form).status_code == 302
    connection.refresh_from_db()
    assert connection.secret == "xyz"
    confirm = admin.get(f"/security/sso/{connection.pk}/delete/")
    assert b"Remove connection" in confirm.content
    assert admin.post(f"/security/sso/{connection.pk}/delete/").status_code == 302
    assert not SsoConnection.objects.filter(pk=connection.pk).exists()


def test_console_pages_need_security_manage(acme):
    account, _owner = acme
    agent = make_member(account, email="agent@acme.test")
    client = Client()
    client.force_login(agent.person)
    assert client.get("/security/sso/").status_code == 403
