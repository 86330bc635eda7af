"""Emails in the reader's language (SELF-1): the recipient's saved choice, else the language
of whoever queued the mail. Read as delivered: outbox, worker, real SMTP server."""

import re

import pytest
from django.utils import translation

from crewbase.accounts.settings_actions import update_preferences
from crewbase.governance import campaigns
from crewbase.mfa.actions import reset_two_factor
from crewbase.people.actions.invitations import invite_people
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.core.mailtest import body_text, only_link, run_worker_once
from tests.mfa.helpers import enrol_totp, new_client, set_policy, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _speaking(member, language: str):
    update_preferences(actor=actor_for(member), changes={"language": language})
    return member


def _member_elsewhere(email: str, language: str):
    """A person who already works in another account and chose `language` there."""
    account, _ = make_account(name="Elsewhere")
    return _speaking(make_member(account, "agent", email=email), language)


def _invite(owner, email: str, *, sender_language: str):
    # The admin's own language is active while the invitation is queued, as in a request.
    with translation.override(sender_language):
        invite_people(actor=actor_for(owner), emails=email, role_id=builtin_role("agent").pk)


def _deliver(*, worker_language: str):
    # The worker's own language must not matter: the text was fixed when the mail was queued.
    with translation.override(worker_language):
        run_worker_once()


def test_an_invitation_to_an_indonesian_member_arrives_in_indonesian(smtp):
    _, owner = make_account(name="Harbor Help")
    _member_elsewhere("ina@example.com", "id")
    _invite(owner, "ina@example.com", sender_language="en")
    _deliver(worker_language="en")

    [message] = smtp.to("ina@example.com")
    body = body_text(message)
    sender = actor_for(owner).display
    assert message["Subject"] == f"{sender} mengundang Anda ke Harbor Help di Crewbase"
    assert "mengundang Anda untuk bergabung dengan Harbor Help di Crewbase sebagai" in body
    assert "Terima undangan di sini:" in body
    assert "/invitations/" in only_link(message)
    assert "invited you" not in body and "Accept the invitation" not in body


def test_an_invitation_to_an_english_member_arrives_in_english_whoever_sends_it(smtp):
    _, owner = make_account(name="Harbor Help")
    _member_elsewhere("eve@example.com", "en")
    _invite(owner, "eve@example.com", sender_language="id")
    _deliver(worker_language="id")

    [message] = smtp.to("eve@example.com")
    body = body_text(message)
    sender = actor_for(owner).display
    assert message["Subject"] == f"{sender} invited you to Harbor Help on Crewbase"
    assert "Accept the invitation here:" in body
    assert "mengundang" not in body


def test_a_new_invitee_reads_the_invitation_in_the_senders_language(smtp):
    _, owner = make_account(name="Harbor Help")
    _invite(owner, "newcomer@example.com", sender_language="id")
    _deliver(worker_language="en")

    [message] = smtp.to("newcomer@example.com")
    assert "mengundang Anda" in message["Subject"]
    # The expiry date is formatted by the template as before, its month named in Indonesian.
    expiry = re.search(r"kedaluwarsa pada (\d{1,2} (\w+) \d{4}, \d\d:\d\d) UTC", body_text(message))
    assert expiry is not None
    assert expiry.group(2) in {
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    }  # fmt: skip


def test_the_emailed_sign_in_code_arrives_in_indonesian(smtp):
    account, owner = make_account(name="Harbor Help")
    supervisor = _speaking(make_member(account, "supervisor"), "id")
    set_policy(owner, email_otp_role_ids=[builtin_role("supervisor").pk])

    response = sign_in(new_client(), supervisor.email)  # the browser sends no language
    assert response.status_code == 302
    _deliver(worker_language="en")

    [message] = smtp.to(supervisor.email)
    subject = re.fullmatch(r"(\d{6}) adalah kode masuk Anda untuk Harbor Help", message["Subject"])
    assert subject is not None
    body = body_text(message)
    assert "Kode Anda untuk masuk ke Harbor Help di Crewbase adalah:" in body
    assert subject.group(1) in body
    assert "selama 10 menit" in body


def test_a_two_factor_reset_email_arrives_in_the_members_language(smtp):
    account, owner = make_account(name="Harbor Help")
    agent = _speaking(make_member(account, "agent"), "id")
    enrol_totp(agent.person)
    with translation.override("en"):
        reset_two_factor(actor=actor_for(owner), member=agent)
    _deliver(worker_language="en")

    [message] = smtp.to(agent.email)
    assert message["Subject"] == "Autentikasi dua faktor Anda untuk Harbor Help telah diatur ulang"
    body = body_text(message)
    assert f"{actor_for(owner).display} mengatur ulang autentikasi dua faktor Anda" in body
    assert "/accounts/login/" in only_link(message)


def test_a_password_reset_link_from_the_sign_in_page_arrives_in_the_persons_language(smtp):
    account, _ = make_account(name="Harbor Help")
    agent = _speaking(make_member(account, "agent"), "id")
    # The page is read in English (the browser's language), the email in the person's.
    page = new_client().post(
        "/accounts/password/reset/", {"email": agent.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 302
    _deliver(worker_language="en")

    [message] = smtp.to(agent.email)
    assert "Pilih kata sandi Crewbase baru" in message["Subject"]
    body = body_text(message)
    assert "Pilih kata sandi baru di sini:" in body
    assert "kedaluwarsa dalam" in body and ("jam" in body or "menit" in body)


def test_an_access_review_reminder_arrives_in_the_reviewers_language(smtp):
    account, owner = make_account(name="Harbor Help")
    reviewer = _speaking(make_member(account, "admin"), "id")
    make_member(account, "agent")
    with translation.override("en"):
        campaign = campaigns.start_campaign(
            actor=actor_for(owner), name="Q4", scope="role", role_id=builtin_role("agent").pk,
            reviewer_id=reviewer.pk,
        )  # fmt: skip
        campaigns.remind_now(actor=actor_for(owner), campaign=campaign)
    _deliver(worker_language="en")

    [message] = smtp.to(reviewer.email)
    assert message["Subject"] == "Tinjauan akses 'Q4': 1 butir harus diputuskan"
    body = body_text(message)
    assert 'Tinjauan akses "Q4"' in body and "1 butir yang harus diputuskan" in body
    assert "Konfirmasi, ubah, atau cabut akses setiap anggota di sini:" in body
