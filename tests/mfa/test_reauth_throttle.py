"""The re-authentication prompts before sensitive changes (turning two-factor off, say) go
through the sign-in throttle (AUTH-2): wrong codes and wrong passwords count per person with
the same growing waits, a locked person is refused even the right answer with the sign-in's
words, and the lockout is recorded in activity."""

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.mfa.selectors import has_totp
from crewbase.signin import throttle
from tests.conftest import TEST_PASSWORD, make_account, make_member
from tests.mfa.helpers import enrol_totp, new_client, recovery_codes_of, sign_in, totp_now
from tests.mfa.test_code_throttle import moving_clock  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

DISABLE = "/accounts/2fa/totp/deactivate/"
CODE_PROMPT = "/accounts/2fa/reauthenticate/"
PASSWORD_PROMPT = "/accounts/reauthenticate/"
LOCKED = "Too many failed attempts. Try again in"


@pytest.fixture
def only_our_throttle(settings):
    """allauth's own fixed-window limits switched off, to see this layer alone."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": None,
        "login": None,
        "reauthenticate": None,
    }


def _age_the_sign_in(client) -> None:
    """Past allauth's re-authentication window: sensitive changes ask again."""
    session = client.session
    session["account_authentication_methods"] = [
        {**m, "at": m["at"] - 3600} for m in session["account_authentication_methods"]
    ]
    session.save()


def _lockouts(account, member):
    events = ActivityEvent.objects.filter(
        account=account, action="auth.locked_out", target_id=member.pk
    )
    return list(events.order_by("seq").values_list("after", flat=True))


def _wrong_code(secret: str) -> str:
    return f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"


@pytest.mark.usefixtures("only_our_throttle")
def test_wrong_codes_at_the_reauthentication_prompt_lock_like_sign_in(moving_clock):  # noqa: F811
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = new_client()
    sign_in(client, agent.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    _age_the_sign_in(client)
    assert "/reauthenticate/" in client.get(DISABLE)["Location"]

    for _ in range(5):
        wrong = client.post(CODE_PROMPT, {"code": _wrong_code(secret), "next": DISABLE})
        assert wrong.status_code == 200 and "Incorrect code" in wrong.text
    assert throttle.failures("otp", agent.person.pk) == 5
    # Locked: even an unused recovery code is refused unread, in the sign-in's words.
    right = recovery_codes_of(agent.person)[0]
    refused = client.post(CODE_PROMPT, {"code": right, "next": DISABLE})
    assert refused.status_code == 200 and f"{LOCKED} 1 minute." in refused.text
    assert client.get(DISABLE).status_code == 302 and has_totp(agent.person)
    assert _lockouts(account, agent) == [{"by": "code", "failures": 5, "locked_seconds": 60}]

    moving_clock.advance(61)
    allowed = client.post(CODE_PROMPT, {"code": right, "next": DISABLE})
    assert allowed.status_code == 302 and allowed["Location"] == DISABLE
    assert throttle.failures("otp", agent.person.pk) == 0
    assert client.post(DISABLE).status_code == 302 and not has_totp(agent.person)


@pytest.mark.usefixtures("only_our_throttle")
def test_wrong_passwords_at_the_reauthentication_prompt_lock_like_sign_in(moving_clock):  # noqa: F811
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = new_client()
    assert sign_in(client, agent.email).status_code == 302
    _age_the_sign_in(client)

    for _ in range(10):
        wrong = client.post(PASSWORD_PROMPT, {"password": "not the password at all"})
        assert wrong.status_code == 200 and "Incorrect password" in wrong.text
    refused = client.post(PASSWORD_PROMPT, {"password": TEST_PASSWORD})
    assert refused.status_code == 200 and f"{LOCKED} 1 minute." in refused.text
    assert _lockouts(account, agent) == [{"by": "email", "failures": 10, "locked_seconds": 60}]

    moving_clock.advance(61)
    assert client.post(PASSWORD_PROMPT, {"password": TEST_PASSWORD}).status_code == 302
    assert throttle.failures("password", agent.email) == 0
