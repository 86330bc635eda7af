"""The accept-invitation page, from the email the worker delivered to a signed-in member (INV-5)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.usersessions.models import UserSession

from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.people.actions.invitations import cancel_invitation, invite_people, resend_invitation
from crewbase.people.models import Invitation, Member, MemberStatus
from crewbase.people.sessions import SESSION_ACCOUNT_KEY
from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_account, make_member
from tests.core.mailtest import only_link, run_worker_once

NEW_PASSWORD = "violet lantern mosaic 2048"


def invite(owner, email, **fields):
    return invite_people(
        actor=actor_for(owner), emails=email, role_id=builtin_role("agent").pk, **fields
    )


def path_of(link: str) -> str:
    return urlsplit(link).path


@pytest.mark.django_db(transaction=True)
def test_new_person_follows_the_emailed_link_and_ends_up_signed_in(client, smtp):
    account, owner = make_account(name="Harbor Help")
    invite(owner, "nina@example.com", first_name="Nina", last_name="Nguyen")
    run_worker_once()
    [message] = smtp.to("nina@example.com")
    link = path_of(only_link(message))

    page = client.get(link)
    assert page.status_code == 200
    assert "Join Harbor Help" in page.text
    assert 'value="Nina"' in page.text and 'value="Nguyen"' in page.text

    refused = client.post(link, {"first_name": "Nina", "last_name": "", "password": "short"})
    assert refused.status_code == 422
    form = refused.context["form"]
    assert form.errors["last_name"] == ["Enter your last name."]
    assert "at least 8 characters" in form.errors["password"][0]
    assert 'value="Nina"' in refused.text  # what was typed stays
    assert Member.objects.get(email="nina@example.com").status == MemberStatus.INVITED

    done = client.post(
        link, {"first_name": "Nina", "last_name": "Nguyen", "password": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/"
    home = client.get("/")
    assert "Signed in as <strong>Nina Nguyen</strong>" in home.text and "Harbor Help" in home.text
    member = Member.objects.get(email="nina@example.com")
    assert member.status == MemberStatus.ACTIVE and member.person.check_password(NEW_PASSWORD)
    assert client.session[SESSION_ACCOUNT_KEY] == account.pk
    assert UserSession.objects.filter(user=member.person).exists()
    actions = set(
        ActivityEvent.objects.filter(account=account, actor_member_id=member.pk).values_list(
            "action", flat=True
        )
    )
    assert {"member.joined", "auth.signed_in"} <= actions

    again = client.get(link)
    assert again.status_code == 410 and "already been used" in again.text


@pytest.mark.django_db
def test_registered_person_signs_in_first_then_accepts_with_one_button(client):
    first, _ = make_account()
    make_member(first, "agent", email="sam@example.com")
    second, owner = make_account(name="Second Desk")
    token = "registered-person-token"
    invite(owner, "sam@example.com")
    # The link in the email carries a random token; put a known one in its place.
    from crewbase.core.tokens import hash_secret

    Invitation.objects.filter(email="sam@example.com", account=second).update(
        token_hash=hash_secret(token)
    )
    link = f"/invitations/{token}/"

    anonymous = client.get(link)
    assert anonymous.status_code == 200
    login_url = f"/accounts/login/?next=%2Finvitations%2F{token}%2F"
    assert login_url.replace("&", "&amp;") in anonymous.text
    assert client.post(link).status_code == 403  # no accepting without signing in

    signed_in = client.post(login_url, {"login": "sam@example.com", "password": TEST_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    assert '<button type="submit" class="primary">Accept</button>' in client.get(link).text

    accepted = client.post(link)
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    assert Member.objects.get(account=second, email="sam@example.com").is_active
    assert "Second Desk" in client.get("/").text


@pytest.mark.django_db
def test_someone_else_signed_in_is_asked_to_switch(client):
    account, owner = make_account()
    make_member(make_account()[0], "agent", email="invitee@example.com")
    other = make_member(account, "agent")
    token = "switch-token"
    invite(owner, "invitee@example.com")
    from crewbase.core.tokens import hash_secret

    Invitation.objects.filter(email="invitee@example.com").update(token_hash=hash_secret(token))
    client.post("/accounts/login/", {"login": other.email, "password": TEST_PASSWORD})
    page = client.get(f"/invitations/{token}/")
    assert f"You are signed in as {other.email}" in page.text
    assert client.post(f"/invitations/{token}/").status_code == 403
    assert Member.objects.get(account=account, email="invitee@example.com").is_invited


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spoil", "status", "says"),
    [
        ("expire", 410, "has expired"),
        ("cancel", 410, "was cancelled"),
        ("resend", 410, "replaced by a newer one"),
        ("unknown", 404, "not valid"),
    ],
)
def test_dead_links_say_why_and_to_ask_an_admin(client, spoil, status, says):
    from crewbase.core.tokens import hash_secret

    _account, owner = make_account()
    result = invite(owner, "late@example.com")
    member = result.invited[0]
    token = "dead-link-token"
    Invitation.objects.filter(member=member).update(token_hash=hash_secret(token))
    if spoil == "expire":
        Invitation.objects.filter(member=member).update(expires_at=clock.now() - timedelta(1))
    elif spoil == "cancel":
        cancel_invitation(actor=actor_for(owner), member=member)
    elif spoil == "resend":
        resend_invitation(actor=actor_for(owner), member=member)
    elif spoil == "unknown":
        token = "no-such-token"
    for method in (client.get, client.post):
        page = method(f"/invitations/{token}/", {"first_name": "A", "last_name": "B"})
        assert page.status_code == status
        assert says in page.text and "ask" in page.text.lower() and "admin" in page.text


@pytest.mark.django_db
def test_absurd_tokens_are_a_plain_404(client):
    assert client.get("/invitations/" + "x" * 500 + "/").status_code == 404
    assert client.get("/invitations/%00%ff/").status_code == 404


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.django_db
def test_person_deactivated_elsewhere_can_still_sign_in_to_accept_a_new_invitation(client):
    from crewbase.core.tokens import hash_secret
    from crewbase.people.actions.lifecycle import deactivate_member

    old_account, old_owner = make_account()
    gone = make_member(old_account, "agent", email="returning@example.com")
    deactivate_member(actor=actor_for(old_owner), member=gone, reason="left_company")
    _new_account, new_owner = make_account(name="New Home")
    invite(new_owner, "returning@example.com")
    token = "returning-token"
    Invitation.objects.filter(email="returning@example.com", status="pending").update(
        token_hash=hash_secret(token)
    )
    login = f"/accounts/login/?next=/invitations/{token}/"
    signed_in = client.post(login, {"login": "returning@example.com", "password": TEST_PASSWORD})
    assert signed_in["Location"] == f"/invitations/{token}/"
    assert client.post(f"/invitations/{token}/")["Location"] == "/"
    assert "New Home" in client.get("/").text
