"""Password reset (AUTH-3): self-service and admin-triggered, through the real mail path."""

from urllib.parse import urlsplit

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from crewbase.accounts.actions import create_account
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import Conflict, NotFound, PermissionDenied
from crewbase.core.models import OutboxMessage
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.actions.passwords import password_setup_link, send_password_reset
from crewbase.people.models import MemberStatus, Person
from tests.conftest import TEST_PASSWORD, actor_for, make_account, make_member
from tests.core.mailtest import body_text, only_link, run_worker_once

NEW_PASSWORD = "a fresh tangerine orbit 77"
transactional = pytest.mark.django_db(transaction=True)


def signed_in_client(email: str, password: str = TEST_PASSWORD) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Follow an emailed link like a browser: the key moves into the session, then POST."""
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 302, "the link was refused"
    form_url = opened["Location"]
    assert "set-password" in form_url
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"password1": password, "password2": password})


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


@transactional
def test_forgot_password_mail_sets_a_new_password_and_ends_every_other_session(smtp):
    account, _ = make_account()
    agent = make_member(account, "agent", email="rita@example.com")
    laptop, phone = signed_in_client(agent.email), signed_in_client(agent.email)
    assert is_signed_in(laptop) and is_signed_in(phone)

    stranger = Client()
    asked = stranger.post("/accounts/password/reset/", {"email": "Rita@Example.com"})
    assert asked.status_code == 302 and asked["Location"] == "/accounts/password/reset/done/"
    run_worker_once()
    [message] = smtp.to("rita@example.com")
    assert "expires in 1 hour" in body_text(message)

    done = choose_password(stranger, only_link(message))
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/key/done/"

    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert UserSession.objects.filter(user=agent.person).count() == 0
    person = Person.objects.get(pk=agent.person_id)
    assert person.check_password(NEW_PASSWORD) and not person.check_password(TEST_PASSWORD)
    changed = ActivityEvent.objects.get(account=account, action="auth.password_changed")
    assert changed.after == {"how": "reset link", "other_sessions_ended": 2}
    assert ActivityEvent.objects.filter(action="auth.password_reset_requested").count() == 1
    assert is_signed_in(signed_in_client(agent.email, NEW_PASSWORD))

    second_use = Client().get(urlsplit(only_link(message)).path)
    assert second_use.status_code == 200
    assert "This link is not valid" in second_use.text


@transactional
def test_unknown_email_gets_the_same_response_and_no_mail(smtp):
    account, _ = make_account()
    known = make_member(account, "agent")
    for_known = Client().post("/accounts/password/reset/", {"email": known.email})
    for_unknown = Client().post("/accounts/password/reset/", {"email": "ghost@example.com"})
    assert (for_unknown.status_code, for_unknown["Location"]) == (
        for_known.status_code,
        for_known["Location"],
    )
    page_known = Client().get(for_known["Location"]).text
    page_unknown = Client().get(for_unknown["Location"]).text
    assert page_known == page_unknown
    run_worker_once()
    assert [m["To"] for m in smtp.messages] == [known.email]
    assert not OutboxMessage.objects.filter(payload__to="ghost@example.com").exists()


@pytest.mark.django_db
def test_a_person_deactivated_everywhere_is_sent_nothing():
    account, owner = make_account()
    agent = make_member(account, "agent")
    deactivate_member(actor=actor_for(owner), member=agent, reason="left_company")
    response = Client().post("/accounts/password/reset/", {"email": agent.email})
    assert response.status_code == 302
    assert not OutboxMessage.objects.filter(payload__to=agent.email).exists()


@transactional
def test_admin_sends_a_reset_link_that_the_member_uses(smtp):
    account, owner = make_account(name="Reset Rangers")
    agent = make_member(account, "agent", email="omar@example.com")
    session = signed_in_client(agent.email)

    send_password_reset(actor=actor_for(owner), member=agent)
    run_worker_once()
    [message] = smtp.to("omar@example.com")
    assert "Reset Rangers" in message["Subject"]
    link = only_link(message)
    assert NEW_PASSWORD not in body_text(message)

    done = choose_password(Client(), link)
    assert done.status_code == 302
    assert not is_signed_in(session)
    event = ActivityEvent.objects.get(account=account, action="auth.password_reset_sent_by_admin")
    assert (event.actor_member_id, event.target_id) == (owner.pk, agent.pk)
    assert is_signed_in(signed_in_client(agent.email, NEW_PASSWORD))


@pytest.mark.django_db
def test_who_may_send_a_reset_and_to_whom():
    account, owner = make_account()
    agent = make_member(account, "agent")
    colleague = make_member(account, "agent")
    with pytest.raises(PermissionDenied):
        send_password_reset(actor=actor_for(agent), member=colleague)

    invited = make_member(account, "agent", status=MemberStatus.INVITED)
    with pytest.raises(Conflict, match="only active members"):
        send_password_reset(actor=actor_for(owner), member=invited)

    elsewhere = make_member(make_account()[0], "agent")
    with pytest.raises(NotFound):
        send_password_reset(actor=actor_for(owner), member=elsewhere)
    assert not OutboxMessage.objects.filter(payload__template="password_reset_by_admin").exists()
    assert not ActivityEvent.objects.filter(action="auth.password_reset_sent_by_admin").exists()


@pytest.mark.django_db
def test_a_link_older_than_an_hour_is_refused(client):
    from datetime import datetime, timedelta

    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    from crewbase.people.actions.passwords import reset_link_for_key

    account, _ = make_account()
    agent = make_member(account, "agent")

    class SixtyOneMinutesAgo(type(default_token_generator)):
        def _now(self):
            return datetime.now() - timedelta(hours=1, minutes=1)

    old_token = SixtyOneMinutesAgo().make_token(agent.person)
    link = reset_link_for_key(f"{user_pk_to_url_str(agent.person)}-{old_token}")
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200 and "This link is not valid" in page.text
    fresh = password_setup_link(agent.person)
    assert client.get(urlsplit(fresh).path).status_code == 302  # the same page takes a fresh one


@pytest.mark.django_db
def test_new_owners_setup_link_sets_the_first_password_once(client):
    new = create_account(name="Fresh Co", owner_email="founder@example.com")
    person = new.owner.person
    assert not person.is_registered and not person.has_usable_password()
    link = password_setup_link(person)
    assert link.startswith("http://127.0.0.1:8000/accounts/password/reset/key/")

    done = choose_password(client, link)
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.is_registered and person.check_password(NEW_PASSWORD)
    second_use = Client().get(urlsplit(link).path)
    assert second_use.status_code == 200 and "This link is not valid" in second_use.text
    assert is_signed_in(signed_in_client("founder@example.com", NEW_PASSWORD))
