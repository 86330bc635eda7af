"""Second-factor codes at sign-in through the sign-in throttle (AUTH-2): wrong TOTP, recovery
and emailed codes count per person, growing waits refuse even the right code, a success
starts the count again, each lockout is recorded once, and nothing is a server error."""

from datetime import timedelta

import pytest

from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.signin import throttle
from tests.conftest import builtin_role, make_account, make_member
from tests.mfa.helpers import (
    CODE_IN_SUBJECT,
    enrol_totp,
    is_signed_in,
    new_client,
    recovery_codes_of,
    set_policy,
    sign_in,
    totp_now,
)

pytestmark = pytest.mark.django_db

STEP = "/accounts/2fa/authenticate/"
CODE_PAGE = "/two-factor/email-code/"
LOCKED = "Too many failed attempts. Try again in"


@pytest.fixture
def moving_clock():
    """Our clock pinned to now and moved by hand; TOTP codes still follow the real time."""

    class Moving:
        def advance(self, seconds: float) -> None:
            clock.freeze(clock.now() + timedelta(seconds=seconds))

    clock.freeze(clock.now())
    yield Moving()
    clock.freeze(None)


def _wrong_totp(secret: str) -> str:
    return f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"


def _waiting_for_code(member):
    client = new_client()
    assert sign_in(client, member.email)["Location"] == STEP
    return client


def _lockouts(account, member):
    events = ActivityEvent.objects.filter(
        account=account, action="auth.locked_out", target_id=member.pk
    )
    return list(events.order_by("seq").values_list("after", flat=True))


def test_thirty_wrong_totp_codes_lock_out_with_growing_waits(moving_clock):
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = _waiting_for_code(agent)
    for n in range(1, 31):
        wrong = client.post(STEP, {"code": _wrong_totp(secret)})
        assert wrong.status_code == 200 and "Incorrect code" in wrong.text
        if n % 5 == 0 and n < 30:
            # Locked: even the right code is refused unread, and refusals count nothing.
            minutes = n // 5
            refused = client.post(STEP, {"code": totp_now(secret)})
            assert refused.status_code == 200 and not is_signed_in(client)
            suffix = "minute." if minutes == 1 else "minutes."
            assert f"{LOCKED} {minutes} {suffix}" in refused.text
            assert throttle.failures("otp", agent.person.pk) == n
            moving_clock.advance(minutes * 60 + 1)
    refused = client.post(STEP, {"code": totp_now(secret)})
    assert f"{LOCKED} 6 minutes." in refused.text and not is_signed_in(client)
    # One activity event per lockout, none for the refused attempts.
    assert [e["failures"] for e in _lockouts(account, agent)] == [5, 10, 15, 20, 25, 30]
    assert _lockouts(account, agent)[-1] == {"by": "code", "failures": 30, "locked_seconds": 360}

    moving_clock.advance(6 * 60 + 1)
    assert client.post(STEP, {"code": totp_now(secret)})["Location"] == "/"
    assert is_signed_in(client)
    assert throttle.failures("otp", agent.person.pk) == 0  # a success starts the count again


def test_a_recovery_code_used_twice_is_refused_and_counts_a_failure():
    account, _ = make_account()
    agent = make_member(account, "agent")
    enrol_totp(agent.person)
    code = recovery_codes_of(agent.person)[0]
    assert _waiting_for_code(agent).post(STEP, {"code": code})["Location"] == "/"

    second = _waiting_for_code(agent)
    used_twice = second.post(STEP, {"code": code})
    assert used_twice.status_code == 200 and "Incorrect code" in used_twice.text
    assert not is_signed_in(second)
    assert throttle.failures("recovery", agent.person.pk) == 1
    assert throttle.failures("otp", agent.person.pk) == 0


def test_wrong_recovery_codes_lock_every_code_of_the_step():
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = _waiting_for_code(agent)
    for n in range(5):
        client.post(STEP, {"code": f"{10_000_000 + n:08d}"})
    # Out of recovery-code guesses is out of TOTP guesses too: both open the same door.
    for code in (recovery_codes_of(agent.person)[0], totp_now(secret)):
        refused = client.post(STEP, {"code": code})
        assert f"{LOCKED} 1 minute." in refused.text and not is_signed_in(client)
    assert len(recovery_codes_of(agent.person)) == 10  # the refused one was not used up
    assert _lockouts(account, agent) == [
        {"by": "recovery code", "failures": 5, "locked_seconds": 60}
    ]


def test_with_allauths_limits_on_too_no_input_is_a_server_error():
    account, _ = make_account()
    agent = make_member(account, "agent")
    secret = enrol_totp(agent.person)
    client = _waiting_for_code(agent)
    garbage = ["", "abcdef", "1" * 5000, "12 34 56", "\x00\x01", "١٢٣٤٥٦", "12345678"]
    statuses = set()
    for n in range(40):
        statuses.add(client.post(STEP, {"code": garbage[n % len(garbage)]}).status_code)
    statuses.add(client.post(STEP, {"code": totp_now(secret)}).status_code)
    assert statuses == {200}
    assert not is_signed_in(client)


def _emailed_codes(email: str) -> list[str]:
    from crewbase.core.models import OutboxMessage

    rows = OutboxMessage.objects.filter(payload__to=email).order_by("id")
    return [m.group(1) for r in rows if (m := CODE_IN_SUBJECT.match(r.payload["subject"]))]


def test_wrong_emailed_codes_count_in_the_throttle(moving_clock):
    account, owner = make_account()
    supervisor = make_member(account, "supervisor")
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])
    client = new_client()
    assert sign_in(client, supervisor.email)["Location"] == CODE_PAGE
    [code] = _emailed_codes(supervisor.email)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert client.post(CODE_PAGE, {"code": wrong}).status_code == 422
    # A wrong one then the right one: the success starts the count again.
    assert throttle.failures("otp", supervisor.person.pk) == 4
    assert client.post(CODE_PAGE, {"code": code})["Location"] == "/"
    assert throttle.failures("otp", supervisor.person.pk) == 0

    again = new_client()
    moving_clock.advance(61)  # past the one-minute reuse of a fresh code
    sign_in(again, supervisor.email)
    code = _emailed_codes(supervisor.email)[-1]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        again.post(CODE_PAGE, {"code": wrong})
    refused = again.post(CODE_PAGE, {"code": code})
    assert refused.status_code == 429 and f"{LOCKED} 1 minute." in refused.text
    assert not is_signed_in(again)
    assert throttle.failures("otp", supervisor.person.pk) == 5  # refusals count nothing
    assert _lockouts(account, supervisor) == [{"by": "code", "failures": 5, "locked_seconds": 60}]
    moving_clock.advance(61)
    assert again.post(CODE_PAGE, {"resend": "1"}).status_code == 302
    fresh = _emailed_codes(supervisor.email)[-1]
    assert again.post(CODE_PAGE, {"code": fresh})["Location"] == "/"
    assert is_signed_in(again)
