"""The throttle's growing waits, driven directly (AUTH-2)."""

import pytest

from crewbase.signin import throttle
from crewbase.signin.throttle import POLICIES, wait_for


def fail_times(kind, key, times):
    return [throttle.fail(kind, key) for _ in range(times)]


def test_waits_grow_by_one_step_per_factor_and_stop_at_the_cap():
    person = POLICIES["password"]
    assert [wait_for(person, n) for n in (1, 9, 10, 11, 20, 30)] == [0, 0, 60, 0, 120, 180]
    assert wait_for(person, 90) == 9 * 60
    assert wait_for(person, 100) == person.window  # NIST: at most 100 in a row
    address = POLICIES["address"]
    assert [wait_for(address, n) for n in (29, 30, 60)] == [0, 60, 120]
    assert wait_for(address, 15 * 30) == wait_for(address, 40 * 30) == 15 * 60  # the cap
    assert wait_for(address, 100_000 * 30) == 15 * 60  # never a hard lock for a shared address


def test_a_lockout_starts_at_the_factor_and_ends_after_its_wait(frozen_clock):
    email = "someone@example.com"
    failures = fail_times("password", email, 9)
    assert not any(f.lockout_started for f in failures)
    assert throttle.check("password", email).allowed
    tenth = throttle.fail("password", email)
    assert tenth.lockout_started and tenth.locked_for == 60
    refused = throttle.check("password", email)
    assert not refused.allowed and refused.retry_after == 60
    assert refused.message == "Too many failed attempts. Try again in 1 minute."
    frozen_clock.advance(59)
    assert not throttle.check("password", email).allowed
    frozen_clock.advance(2)
    assert throttle.check("password", email).allowed
    # The next ten failures cost two minutes.
    assert fail_times("password", email, 10)[-1].locked_for == 120
    assert throttle.check("password", email).retry_after == 120


def test_success_starts_the_count_again_but_other_keys_are_untouched(frozen_clock):
    fail_times("password", "a@example.com", 9)
    fail_times("password", "b@example.com", 9)
    throttle.succeed("password", "a@example.com")
    assert throttle.failures("password", "a@example.com") == 0
    assert throttle.failures("password", "b@example.com") == 9
    assert not throttle.fail("password", "a@example.com").lockout_started
    assert throttle.fail("password", "b@example.com").lockout_started


def test_keys_are_case_and_space_insensitive_and_empty_keys_are_ignored():
    fail_times("password", "Mixed@Example.com ", 3)
    assert throttle.failures("password", "mixed@example.com") == 3
    assert throttle.fail("password", "").failures == 0
    assert throttle.check("address", None).allowed


def test_the_hundredth_consecutive_failure_locks_for_the_whole_window(frozen_clock):
    key = 42
    for _ in range(10):
        fail_times("otp", key, 5)
        frozen_clock.advance(16 * 60)
    # 50 failures so far for OTP (factor 5); carry on to its hard limit of 100.
    for _ in range(10):
        fail_times("otp", key, 5)
        frozen_clock.advance(16 * 60)
    assert throttle.failures("otp", key) == 100
    frozen_clock.advance(-16 * 60)
    decision = throttle.check("otp", key)
    assert not decision.allowed and decision.retry_after > 11 * 3600


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(KeyError):
        throttle.check("pin", "x")


@pytest.mark.django_db
def test_second_factor_lockouts_are_recorded_once_per_lockout(frozen_clock):
    from django.test import RequestFactory

    from crewbase.audit.models import ActivityEvent
    from crewbase.signin.guard import note_code_failure
    from tests.conftest import make_account, make_member

    account, _ = make_account()
    agent = make_member(account, "agent")
    request = RequestFactory().post("/accounts/2fa/authenticate/", REMOTE_ADDR="192.0.2.4")
    failures = [note_code_failure(request, agent.person) for _ in range(5)]
    assert [f.lockout_started for f in failures] == [False] * 4 + [True]
    assert not throttle.check("otp", agent.person.pk).allowed
    event = ActivityEvent.objects.get(action="auth.locked_out")
    assert event.after == {"by": "code", "failures": 5, "locked_seconds": 60}
    assert event.ip_address == "192.0.2.4"
