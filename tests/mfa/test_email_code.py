"""Email one-time codes by role (AUTH-5) at sign-in: delivered through the outbox and the worker
over real SMTP, 10-minute expiry, single use, 5 wrong tries end the code, resend rate-limited,
TOTP instead when the person has it, and no code while the account is on a trial."""

from datetime import timedelta

import pytest

from crewbase.accounts.models import Account
from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.core.models import OutboxMessage
from crewbase.mfa.email_codes import check_code
from tests.conftest import builtin_role, make_account, make_member
from tests.core.mailtest import run_worker_once
from tests.mfa.helpers import (
    CODE_IN_SUBJECT,
    enrol_totp,
    is_signed_in,
    new_client,
    set_policy,
    sign_in,
)

CODE_PAGE = "/two-factor/email-code/"


def _supervisor_with_emailed_codes(**account_fields):
    account, owner = make_account(**account_fields)
    supervisor = make_member(account, "supervisor")
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])
    return account, owner, supervisor


def _queued_codes(email: str) -> list[str]:
    rows = OutboxMessage.objects.filter(payload__to=email).order_by("id")
    return [m.group(1) for r in rows if (m := CODE_IN_SUBJECT.match(r.payload["subject"]))]


def _pending_sign_in(**account_fields):
    """A supervisor who typed the right password and now has an emailed code to enter."""
    account, _, supervisor = _supervisor_with_emailed_codes(**account_fields)
    client = new_client()
    sign_in(client, supervisor.email)
    [code] = _queued_codes(supervisor.email)
    return account, supervisor, client, code


def _enter(client, code):
    return client.post(CODE_PAGE, {"code": code})


@pytest.mark.django_db(transaction=True)
def test_the_code_arrives_by_smtp_through_the_worker_and_signs_in(smtp):
    account, _, supervisor = _supervisor_with_emailed_codes(name="Harbor Help")
    client = new_client()
    response = sign_in(client, supervisor.email)
    assert response.status_code == 302 and response["Location"] == CODE_PAGE
    assert not is_signed_in(client)
    page = client.get(CODE_PAGE)
    assert "we emailed a 6-digit code" in page.text and supervisor.email in page.text

    run_worker_once()
    [message] = smtp.to(supervisor.email)
    code = CODE_IN_SUBJECT.match(message["Subject"]).group(1)
    assert "Harbor Help" in message["Subject"]
    assert code in message.get_body(preferencelist=("plain",)).get_content()

    done = _enter(client, code)
    assert done.status_code == 302 and done["Location"] == "/"
    assert is_signed_in(client)
    actions = list(
        ActivityEvent.objects.filter(account=account, target_id=supervisor.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["auth.email_code_sent", "auth.email_code_verified", "auth.signed_in"]


@pytest.mark.django_db
def test_a_used_code_cannot_be_used_again():
    _, _, supervisor = _supervisor_with_emailed_codes()
    first = new_client()
    sign_in(first, supervisor.email)
    [code] = _queued_codes(supervisor.email)
    assert _enter(first, code)["Location"] == "/"
    reused = check_code(person=supervisor.person, code=code, request=None)
    assert not reused.ok and "no longer valid" in reused.reason

    # Replayed in another browser: that sign-in got its own code, and the old one is wrong.
    second = new_client()
    sign_in(second, supervisor.email)
    replay = _enter(second, code)
    assert replay.status_code == 422 and "Wrong code; 4 tries left" in replay.text
    assert not is_signed_in(second)


@pytest.mark.django_db
def test_an_expired_code_is_refused():
    _, _supervisor, client, code = _pending_sign_in()
    clock.freeze(clock.now() + timedelta(minutes=10, seconds=1))
    expired = _enter(client, code)
    assert expired.status_code == 422 and "has expired" in expired.text
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_five_wrong_tries_end_the_code_even_for_the_right_one_after():
    account, _supervisor, client, code = _pending_sign_in()
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        answer = _enter(client, wrong)
        assert answer.status_code == 422 and f"{left} tries left" in answer.text
    fifth = _enter(client, wrong)
    assert "too many wrong tries" in fifth.text.lower()
    # Five wrong codes also lock the person's codes for a minute (AUTH-2); once that is over,
    # the code itself is still ended.
    clock.freeze(clock.now() + timedelta(seconds=61))
    too_late = _enter(client, code)
    assert too_late.status_code == 422 and "no longer valid" in too_late.text
    assert not is_signed_in(client)
    failed = ActivityEvent.objects.filter(account=account, action="auth.email_code_failed")
    assert failed.count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", ["", "12345", "1234567", "abcdef", "9" * 10000, "١٢٣٤٥٦"])
def test_malformed_codes_get_a_clear_error_and_cost_no_try(garbage):
    _, _supervisor, client, code = _pending_sign_in()
    answer = _enter(client, garbage)
    assert answer.status_code == 422 and "Enter the 6-digit code from the email" in answer.text
    assert _enter(client, code)["Location"] == "/"


@pytest.mark.django_db
def test_resend_replaces_the_code_and_is_rate_limited():
    _, _, supervisor = _supervisor_with_emailed_codes()
    client = new_client()
    sign_in(client, supervisor.email)
    too_soon = client.post(CODE_PAGE, {"resend": "1"})
    assert too_soon.status_code == 429 and "in 60 seconds" in too_soon.text
    assert len(_queued_codes(supervisor.email)) == 1

    start = clock.now()
    for minute in range(1, 10):
        clock.freeze(start + timedelta(minutes=minute))
        assert client.post(CODE_PAGE, {"resend": "1"})["Location"] == CODE_PAGE
    codes = _queued_codes(supervisor.email)
    assert len(codes) == 10
    clock.freeze(start + timedelta(minutes=10))
    hourly = client.post(CODE_PAGE, {"resend": "1"})
    assert hourly.status_code == 429 and "At most 10 codes an hour" in hourly.text
    # Signing in again does not get round the cap either.
    assert sign_in(new_client(), supervisor.email)["Location"] == CODE_PAGE
    assert len(_queued_codes(supervisor.email)) == 10

    old = _enter(client, codes[0]) if codes[0] != codes[-1] else None
    if old is not None:
        assert old.status_code == 422
    assert _enter(client, codes[-1])["Location"] == "/"


@pytest.mark.django_db
def test_signing_in_twice_within_a_minute_keeps_the_code_sent():
    _, _, supervisor = _supervisor_with_emailed_codes()
    first, second = new_client(), new_client()
    sign_in(first, supervisor.email)
    sign_in(second, supervisor.email)
    [code] = _queued_codes(supervisor.email)
    assert _enter(second, code)["Location"] == "/"
    clock.freeze(clock.now() + timedelta(minutes=2))
    third = new_client()
    sign_in(third, supervisor.email)
    assert len(_queued_codes(supervisor.email)) == 2


@pytest.mark.django_db
def test_a_person_with_totp_uses_totp_instead_of_an_emailed_code():
    _, _, supervisor = _supervisor_with_emailed_codes()
    enrol_totp(supervisor.person)
    client = new_client()
    assert sign_in(client, supervisor.email)["Location"] == "/accounts/2fa/authenticate/"
    assert _queued_codes(supervisor.email) == []


@pytest.mark.django_db
def test_no_code_while_the_account_is_on_a_trial_and_none_for_other_roles():
    _, _owner, supervisor = _supervisor_with_emailed_codes(plan="trial")
    agent = make_member(Account.objects.get(pk=supervisor.account_id), "agent")
    for member in (supervisor, agent):
        client = new_client()
        assert sign_in(client, member.email)["Location"] == "/"
        assert _queued_codes(member.email) == []


@pytest.mark.django_db
def test_the_code_page_without_a_pending_sign_in_goes_back_to_sign_in():
    response = new_client().get(CODE_PAGE)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    posted = new_client().post(CODE_PAGE, {"code": "123456"})
    assert posted.status_code == 302 and posted["Location"] == "/accounts/login/"


@pytest.mark.django_db
def test_a_resend_after_the_policy_dropped_the_role_starts_the_sign_in_over():
    account, supervisor, client, _code = _pending_sign_in()
    owner = account.members.get(is_owner=True)
    set_policy(owner, email_otp_role_ids=[])
    response = client.post(CODE_PAGE, {"resend": "1"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert sign_in(new_client(), supervisor.email)["Location"] == "/"
