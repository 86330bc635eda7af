"""TOTP two-factor through allauth's pages (AUTH-4): enrol with a QR code and a code check, ten
single-use recovery codes shown once, sign-in asks for a code, disable, regenerate, and the
bad codes (wrong, reused, replayed, recovery code used twice)."""

import pytest
from allauth.mfa.models import Authenticator

from crewbase.audit.models import ActivityEvent
from crewbase.mfa.selectors import has_totp
from tests.conftest import make_account, make_member
from tests.mfa.helpers import (
    enrol_totp,
    is_signed_in,
    new_client,
    recovery_codes_of,
    sign_in,
    totp_now,
)

pytestmark = pytest.mark.django_db


def _signed_in(member):
    client = new_client()
    assert sign_in(client, member.email).status_code == 302
    return client


def test_enrolment_shows_a_qr_code_checks_a_code_and_shows_ten_codes_once():
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = _signed_in(agent)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text and "Scan this QR code" in page.text
    secret = page.context["form"].secret

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.text
    assert not has_totp(agent.person)

    import pyotp

    done = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done["Location"] == "/accounts/2fa/recovery-codes/"
    assert has_totp(agent.person)
    codes = recovery_codes_of(agent.person)
    assert len(codes) == 10

    shown = client.get("/accounts/2fa/recovery-codes/")
    assert all(code in shown.text for code in codes)
    assert 'download="crewbase-recovery-codes.txt"' in shown.text
    again = client.get("/accounts/2fa/recovery-codes/")
    assert not any(code in again.text for code in codes)
    assert "cannot be shown again" in again.text
    assert ActivityEvent.objects.filter(account=account, action="mfa.totp_enabled").count() == 1


def test_sign_in_asks_for_the_code_and_refuses_wrong_and_replayed_ones():
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)

    client = new_client()
    response = sign_in(client, agent.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.text
    assert not is_signed_in(client)
    code = totp_now(secret)
    assert client.post("/accounts/2fa/authenticate/", {"code": code})["Location"] == "/"
    assert is_signed_in(client)

    # The same code again, from another browser while it is still current: refused.
    replay = new_client()
    sign_in(replay, agent.email)
    refused = replay.post("/accounts/2fa/authenticate/", {"code": code})
    assert refused.status_code == 200 and "Incorrect code" in refused.text
    assert not is_signed_in(replay)


@pytest.mark.parametrize("garbage", ["", "abcdef", "1" * 5000, "12 34 56 78", "\x00\x01"])
def test_malformed_codes_are_refused_without_a_server_error(garbage):
    account, _ = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    client = new_client()
    sign_in(client, agent.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": garbage})
    assert response.status_code == 200
    assert not is_signed_in(client)


def test_a_recovery_code_signs_in_once_only():
    account, _ = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    code = recovery_codes_of(agent.person)[0]

    first = new_client()
    sign_in(first, agent.email)
    assert first.post("/accounts/2fa/authenticate/", {"code": code})["Location"] == "/"
    assert len(recovery_codes_of(agent.person)) == 9

    second = new_client()
    sign_in(second, agent.email)
    used_twice = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert used_twice.status_code == 200 and "Incorrect code" in used_twice.text
    assert not is_signed_in(second)


def test_disable_with_a_fresh_sign_in_and_regenerate_recovery_codes_are_recorded(
    django_capture_on_commit_callbacks,
):
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = new_client()
    sign_in(client, agent.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})

    old = set(recovery_codes_of(agent.person))
    page = client.get("/accounts/2fa/recovery-codes/generate/")
    assert "stop working at once" in page.text
    # allauth announces new recovery codes after its commit.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/2fa/recovery-codes/generate/").status_code == 302
    new = set(recovery_codes_of(agent.person))
    assert len(new) == 10 and not (old & new)

    confirm = client.get("/accounts/2fa/totp/deactivate/")
    assert confirm.status_code == 200 and "Turn off two-factor authentication?" in confirm.text
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=agent.person).exists()
    actions = set(ActivityEvent.objects.filter(account=account).values_list("action", flat=True))
    assert {"mfa.recovery_codes_regenerated", "mfa.totp_disabled"} <= actions


def test_disabling_long_after_sign_in_asks_for_a_fresh_code_or_the_password():
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = new_client()
    sign_in(client, agent.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    # Age the sign-in past allauth's re-authentication window.
    session = client.session
    session["account_authentication_methods"] = [
        {**m, "at": m["at"] - 3600} for m in session["account_authentication_methods"]
    ]
    session.save()

    asked = client.get("/accounts/2fa/totp/deactivate/")
    assert asked.status_code == 302 and "/reauthenticate/" in asked["Location"]
    page = client.get("/accounts/2fa/reauthenticate/?next=/accounts/2fa/totp/deactivate/")
    assert "Enter a code from your authenticator app" in page.text
    wrong = client.post(
        "/accounts/2fa/reauthenticate/",
        {"code": "000000", "next": "/accounts/2fa/totp/deactivate/"},
    )
    assert wrong.status_code == 200 and has_totp(agent.person)
    # A recovery code works too (the TOTP code used to sign in would be a replay).
    ok = client.post(
        "/accounts/2fa/reauthenticate/",
        {"code": recovery_codes_of(agent.person)[0], "next": "/accounts/2fa/totp/deactivate/"},
    )
    assert ok.status_code == 302
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not has_totp(agent.person)


def test_the_two_factor_page_says_whether_it_is_on():
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = _signed_in(agent)
    off = client.get("/accounts/2fa/").text
    assert "Set up an authenticator app" in off and "Off." in off
    enrol_totp(agent.person)
    on = client.get("/accounts/2fa/").text
    assert "On: signing in asks for a code" in on and "10 of 10 codes unused" in on
