"""/security/: invitation expiry and domain rules, API tokens (list, create once, revoke)."""

import pytest

from crewbase.access.actions import create_role
from crewbase.api.actions import create_api_token
from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.core.tokens import hash_secret
from tests.conftest import actor_for, make_member
from tests.console_admin.conftest import client_for

GOOD = {
    "form": "settings",
    "invite_expiry_days": "10",
    "blocked_domains": "rival.example",
    "allowed_domains": "",
}


def test_agent_is_refused_and_sees_no_link(scene):
    client = client_for(scene.agent)
    assert client.get("/security/").status_code == 403
    assert client.post("/security/", GOOD).status_code == 403
    assert 'href="/security/"' not in client.get("/settings/").content.decode()
    scene.account.refresh_from_db()
    assert scene.account.invite_expiry_days == 7


def test_the_page_states_the_password_and_session_rules(scene, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    page = client_for(scene.admin).get("/security/").content.decode()
    assert "8 to 128 characters" in page
    assert "0.3 days" in page  # eight hours
    assert "expire after 60 minutes" in page


def test_admin_saves_settings(scene):
    client = client_for(scene.admin)
    response = client.post("/security/", {**GOOD, "block_personal_domains": "on"})
    assert response.status_code == 302
    scene.account.refresh_from_db()
    assert scene.account.invite_expiry_days == 10
    assert scene.account.block_personal_domains is True
    assert scene.account.blocked_domains == ["rival.example"]
    page = client.get("/security/").content.decode()
    assert "rival.example" in page and 'value="10"' in page
    assert ActivityEvent.objects.filter(account=scene.account, action="account.updated").exists()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("allowed_domains", "example", '"example" is not a domain'),
        ("blocked_domains", "http://x.example/", "is not a domain"),
        ("invite_expiry_days", "45", "from 1 to 30"),
        ("invite_expiry_days", "", "from 1 to 30"),
        ("invite_expiry_days", "1e3", "from 1 to 30"),
    ],
)
def test_bad_values_show_on_their_field_and_nothing_is_saved(scene, field, value, reason):
    response = client_for(scene.admin).post("/security/", {**GOOD, field: value})
    assert response.status_code == 422
    errors = response.context["settings_form"].errors[field]
    assert reason in errors[0]
    html = response.content.decode()
    assert value in html  # what was typed is kept
    scene.account.refresh_from_db()
    assert scene.account.blocked_domains == [] and scene.account.invite_expiry_days == 7


def test_create_token_shows_the_secret_once(scene):
    client = client_for(scene.admin)
    response = client.post(
        "/security/",
        {"form": "token", "name": "Helpdesk sync", "scopes": ["users.view"], "expires_in": "30"},
    )
    assert response.status_code == 200
    secret = response.context["secret"]["value"]
    token = ApiToken.objects.get(account=scene.account, name="Helpdesk sync")
    assert token.token_hash == hash_secret(secret) and secret in response.content.decode()
    listed = client.get("/security/").content.decode()
    assert secret not in listed
    assert token.prefix in listed and "Helpdesk sync" in listed and "users.view" in listed


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scopes": ["users.view"], "expires_in": "30"}, "name"),
        ({"name": "No scopes", "expires_in": "30"}, "scopes"),
        ({"name": "Odd", "scopes": ["root"], "expires_in": "30"}, "scopes"),
        ({"name": "Odd", "scopes": ["users.view"], "expires_in": "forever"}, "expires_in"),
    ],
)
def test_bad_token_requests_are_field_errors(scene, data, field):
    response = client_for(scene.admin).post("/security/", {"form": "token", **data})
    assert response.status_code == 422
    assert response.context["token_form"].errors[field]
    assert not ApiToken.objects.filter(account=scene.account).exists()


def test_a_token_cannot_hold_permissions_its_maker_lacks(scene):
    role = create_role(
        actor=actor_for(scene.owner),
        name="Security officer",
        permissions=["users.view", "security.manage"],
    )
    officer = make_member(scene.account, role)
    response = client_for(officer).post(
        "/security/",
        {"form": "token", "name": "Too much", "scopes": ["billing.manage"], "expires_in": "30"},
    )
    assert response.status_code == 403
    assert "billing.manage" in response.context["token_form"].errors["scopes"][0]


def test_revoke_asks_first_then_revokes(scene):
    token, _ = create_api_token(actor=actor_for(scene.admin), name="Old", scopes=["users.view"])
    client = client_for(scene.admin)
    confirm = client.get(f"/security/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and "Revoke the token" in confirm.content.decode()
    assert client.post(f"/security/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/security/").content.decode()


def test_other_accounts_token_is_not_found(scene):
    theirs, _ = create_api_token(
        actor=actor_for(scene.other_owner), name="Theirs", scopes=["users.view"]
    )
    client = client_for(scene.owner)
    assert client.get(f"/security/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/security/tokens/{theirs.pk}/revoke/").status_code == 404
    assert "Theirs" not in client.get("/security/").content.decode()
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
