"""Password sign-in through the throttle, over HTTP (AUTH-2): growing waits per email and per
address, the same answer for unknown emails, lockouts recorded once, never a 500."""

import pytest
from django.test import Client

from crewbase.audit.models import ActivityEvent
from crewbase.signin import throttle
from tests.conftest import TEST_PASSWORD, make_account, make_member

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts. Try again in"


def attempt(client, email, password="not the password at all", address="198.51.100.7"):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


def errors_of(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_ten_failures_lock_the_email_even_for_the_right_password(frozen_clock):
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = Client()
    for _ in range(10):
        assert attempt(client, agent.email).status_code == 200
    refused = attempt(client, agent.email, TEST_PASSWORD)
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert errors_of(refused) == ["Too many failed attempts. Try again in 1 minute."]
    # The lockout is recorded once, by the system, with the address it came from.
    locks = ActivityEvent.objects.filter(account=account, action="auth.locked_out")
    assert locks.count() == 1
    lock = locks.get()
    assert lock.actor_kind == "system" and lock.target_id == agent.pk
    assert lock.ip_address == "198.51.100.7"
    assert lock.after == {"by": "email", "failures": 10, "locked_seconds": 60}
    # Refused attempts neither count nor record.
    attempt(client, agent.email)
    assert throttle.failures("password", agent.email) == 10
    assert ActivityEvent.objects.filter(action="auth.sign_in_failed").count() == 10
    frozen_clock.advance(61)
    signed_in = attempt(client, agent.email, TEST_PASSWORD)
    assert signed_in.status_code == 302
    assert throttle.failures("password", agent.email) == 0  # success starts the count again


def test_an_unknown_email_gets_the_same_answers_at_the_same_moments():
    account, _ = make_account()
    agent = make_member(account, "agent")
    known, unknown = [], []
    for _ in range(12):
        known.append(attempt(Client(), agent.email, address="198.51.100.1"))
        unknown.append(attempt(Client(), "nobody.here@example.com", address="198.51.100.2"))
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [errors_of(r) for r in known] == [errors_of(r) for r in unknown]
    assert LOCKED in errors_of(known[-1])[0]
    # Only the real member's accounts hear about it; nothing is written for a stranger's email.
    assert ActivityEvent.objects.filter(action="auth.locked_out").count() == 1


def test_a_password_reset_lifts_the_lock():
    from crewbase.signin.guard import clear_person

    account, _ = make_account()
    agent = make_member(account, "agent")
    for _ in range(10):
        attempt(Client(), agent.email)
    assert not throttle.check("password", agent.email).allowed
    clear_person(agent.person)  # what the password_reset signal runs
    assert attempt(Client(), agent.email, TEST_PASSWORD).status_code == 302


def test_a_spray_from_one_address_is_throttled(frozen_clock):
    """10,000 guesses across 2,000 emails from one address: the address counter locks it out
    every 30 failures, with a wait growing to 15 minutes. Most attempts go straight through the
    throttle functions (the sign-in view's calls); a sample goes over real HTTP."""
    from django import forms
    from django.test import RequestFactory

    from crewbase.signin.guard import note_failure, refuse_if_throttled

    account, _ = make_account()
    members = [make_member(account, "agent") for _ in range(3)]
    address = "203.0.113.50"
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    emails = [m.email for m in members] + [f"guess{n}@example.com" for n in range(1997)]
    tried = refused = 0
    waited = 0
    for n in range(10_000):
        email = emails[n % len(emails)]
        if n % 500 == 0:
            # A sample over HTTP: never a 500, and never a sign-in.
            response = attempt(Client(), email, address=address)
            assert response.status_code == 200
            assert not response.wsgi_request.user.is_authenticated
        try:
            refuse_if_throttled(request, email)
        except forms.ValidationError:
            refused += 1
            decision = throttle.check("address", address)
            frozen_clock.advance(decision.retry_after)  # the sprayer waits it out
            waited += decision.retry_after
            continue
        tried += 1
        note_failure(request, email)
    # Every 30 guesses cost a wait (one refused attempt each); from the 15th lockout on, each
    # costs the 15-minute cap.
    assert tried + refused == 10_000
    assert abs(refused - tried // 30) <= 2  # (the HTTP samples count too)
    assert waited >= (refused - 15) * 15 * 60  # about three and a half days of waiting
    # The members' own accounts saw each address lockout that their email triggered.
    assert ActivityEvent.objects.filter(action="auth.locked_out").exists()


def test_allauth_limits_still_apply_on_top_and_nothing_is_a_server_error():
    client = Client()
    statuses = set()
    for n in range(40):
        statuses.add(attempt(client, f"user{n % 4}@example.com").status_code)
    assert statuses <= {200, 429}
    assert 500 not in statuses
