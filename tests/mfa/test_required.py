"""Required 2FA per role (AUTH-6): right after signing in such a member reaches nothing but
enrolment and sign-out, on pages (redirect) and on the API with a session (403 JSON); bearer
tokens are not gated. Also the selectors other areas use."""

import pyotp
import pytest

from crewbase.api.actions import create_api_token
from crewbase.mfa.selectors import has_totp, members_missing_required_2fa
from crewbase.people.models import MemberStatus
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.mfa.helpers import enrol_totp, new_client, set_policy, sign_in

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"


def _scene():
    account, owner = make_account()
    set_policy(owner, required_2fa_role_ids=[builtin_role("supervisor").pk])
    supervisor = make_member(account, "supervisor")
    return account, owner, supervisor


@pytest.mark.parametrize(
    "path", ["/", "/members/", "/settings/", "/activity/", "/accounts/sessions/"]
)
def test_console_pages_redirect_to_enrolment(path):
    _, _, supervisor = _scene()
    client = new_client()
    sign_in(client, supervisor.email)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL + "?next=")


def test_the_api_with_the_session_answers_403_naming_the_reason():
    _, _, supervisor = _scene()
    api = ApiClient(person=supervisor.person)
    for response in (api.get("/members"), api.get("/me"), api.post("/members/1/role", {})):
        assert response.status_code == 403
        body = response.json()
        assert body["error"] == "two_factor_enrolment_required"
        assert "requires two-factor authentication" in body["message"]
        assert body["enrol_url"] == ENROL


def test_a_bearer_token_is_not_gated():
    _, _, supervisor = _scene()
    _, secret = create_api_token(actor=actor_for(supervisor), name="script", scopes=["users.view"])
    response = ApiClient(token=secret).get("/members")
    assert response.status_code == 200


def test_enrolment_and_sign_out_stay_open_and_enrolling_frees_the_member():
    _, _, supervisor = _scene()
    client = new_client()
    sign_in(client, supervisor.email)
    page = client.get(ENROL + "?next=/members/")
    assert page.status_code == 200 and "Your role requires two-factor authentication" in page.text
    secret = page.context["form"].secret
    done = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert has_totp(supervisor.person)
    assert client.get("/members/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_other_roles_and_enrolled_members_are_not_gated():
    account, _, _ = _scene()
    agent = make_member(account, "agent")
    enrolled = make_member(account, "supervisor")
    enrol_totp(enrolled.person)
    client = new_client()
    sign_in(client, agent.email)
    assert client.get("/members/").status_code == 200


def test_members_missing_required_2fa_lists_active_unenrolled_members_of_listed_roles():
    account, _owner, supervisor = _scene()
    enrolled = make_member(account, "supervisor")
    enrol_totp(enrolled.person)
    make_member(account, "supervisor", status=MemberStatus.INVITED)
    make_member(account, "agent")
    other_account, _other_owner = make_account()
    make_member(other_account, "supervisor")
    assert list(members_missing_required_2fa(account)) == [supervisor]
    assert list(members_missing_required_2fa(other_account)) == []
    assert has_totp(enrolled.person) and not has_totp(supervisor.person)
