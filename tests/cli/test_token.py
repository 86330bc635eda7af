from datetime import UTC, datetime, timedelta

import pytest
from django.core.management.base import CommandError

from crewbase.api.models import ApiToken
from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.core.tokens import hash_secret
from tests.cli.commands import run
from tests.conftest import make_account, make_member

pytestmark = pytest.mark.django_db


def test_prints_the_token_once_and_it_authenticates_with_its_scopes(client):
    account, _ = make_account()
    admin = make_member(account, "admin", email="ops@example.com")
    out, err = run(
        "token", "create", "--account", str(account.pk), "--email", admin.email,
        "--scopes", "users.view", "--expires", "30d", "--name", "Reporting",
    )  # fmt: skip
    secret = out.strip()
    assert "\n" not in secret
    token = ApiToken.objects.get(token_hash=hash_secret(secret))
    assert (token.member_id, token.name, token.scopes) == (admin.pk, "Reporting", ["users.view"])
    assert timedelta(days=29) < token.expires_at - clock.now() <= timedelta(days=30)
    assert secret not in err and "shown only this once" in err
    event = ActivityEvent.objects.get(account=account, action="api_token.created")
    assert event.actor_member_id == admin.pk

    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = client.get("/api/v1/members", **auth)
    assert listed.status_code == 200
    assert admin.email in {m["email"] for m in listed.json()["items"]}
    # The token holds users.view only, though its member is an admin.
    refused = client.post(
        "/api/v1/invitations",
        {"emails": "x@example.com", "role_id": 1},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/members").status_code == 401


def test_a_date_expiry_is_the_start_of_that_day_in_utc():
    account, owner = make_account()
    day = (clock.now() + timedelta(days=10)).date()
    out, _ = run("token", "create", "--account", str(account.pk), "--email", owner.email,
                 "--scopes", "users.view", "--expires", day.isoformat())  # fmt: skip
    token = ApiToken.objects.get(token_hash=hash_secret(out.strip()))
    assert token.expires_at == datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert token.name.startswith("CLI token ")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--scopes", "users.view", "--expires", "soon"], "--expires: 'soon' is not a duration"),
        (["--scopes", "users.view", "--expires", "2001-01-01"], "--expires: must be in the future"),
        (["--scopes", "users.view", "--expires", "0d"], "--expires: must be at least 1d"),
        (
            ["--scopes", "tickets.fly", "--expires", "1d"],
            "--scopes: unknown permissions: tickets.fly",
        ),
        (["--scopes", " , ", "--expires", "1d"], "--scopes: choose at least one permission"),
        (["--scopes", "billing.manage", "--expires", "1d"], "billing.manage"),
    ],
)
def test_bad_token_options_are_refused_and_no_token_is_made(options, expected):
    account, _ = make_account()
    agent = make_member(account, "agent", email="agent@example.com")
    with pytest.raises(CommandError) as failure:
        run("token", "create", "--account", str(account.pk), "--email", agent.email, *options)
    assert expected in str(failure.value)
    assert failure.value.returncode == 2
    assert not ApiToken.objects.exists()


def test_a_deactivated_member_gets_no_token():
    account, _ = make_account()
    gone = make_member(account, "admin", email="gone@example.com", status="deactivated")
    with pytest.raises(CommandError) as failure:
        run("token", "create", "--account", str(account.pk), "--email", gone.email,
            "--scopes", "users.view", "--expires", "1d")  # fmt: skip
    assert "--email: gone@example.com is deactivated, not active" in str(failure.value)
