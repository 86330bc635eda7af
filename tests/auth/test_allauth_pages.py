"""allauth's other pages: no server errors, Crewbase's layout, and no second email address."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from tests.conftest import TEST_PASSWORD, make_account, make_member

pytestmark = pytest.mark.django_db

PAGES = [
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/zz-zz/",
    "/accounts/password/reset/key/done/",
    "/accounts/password/change/",
    "/accounts/inactive/",
    "/accounts/email/",
    "/accounts/sessions/",
]


def test_every_page_answers_without_error_signed_out_and_signed_in(client):
    for page in PAGES:
        assert client.get(page).status_code in (200, 302), page
    account, _ = make_account()
    member = make_member(account, "agent")
    client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    for page in PAGES:
        response = client.get(page)
        assert response.status_code in (200, 302), page
        if response.status_code == 200:
            assert '<a class="brand" href="/">Crewbase</a>' in response.text, page


def test_signed_in_person_cannot_add_a_second_email_to_sign_in_with(client):
    account, _ = make_account()
    member = make_member(account, "agent", email="fixed@example.com")
    client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})
    assert EmailAddress.objects.filter(user=member.person, primary=True, verified=True).count() == 1
    client.post("/accounts/email/", {"email": "alias@example.com", "action_add": ""})
    assert not EmailAddress.objects.filter(email="alias@example.com").exists()
    alias = Client().post(
        "/accounts/login/", {"login": "alias@example.com", "password": TEST_PASSWORD}
    )
    assert alias.status_code == 200  # refused, the form is shown again


def test_sign_up_is_closed(client):
    page = client.get("/accounts/signup/")
    assert "Sign-up is by invitation" in page.text
