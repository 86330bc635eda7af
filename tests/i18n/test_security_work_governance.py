"""Reasons raised from Python read in Indonesian (SELF-1): two-factor, sign-in settings, SSO,
the SCIM token page, work figures, access reviews and webhooks.

Each area: an Indonesian-preferring admin sees the Indonesian reason on the console page; an
API client gets it with `Accept-Language: id` and English without. SCIM itself answers
identity providers in English whatever they ask for.
"""

import json

import pytest
from allauth.usersessions.models import UserSession
from django.utils import translation

from crewbase.access.actions import create_role
from crewbase.accounts.settings_actions import update_preferences
from crewbase.api.actions import create_api_token
from crewbase.audit.models import ActivityEvent
from crewbase.governance.models import ChecklistItem
from crewbase.identity.scim.actions.tokens import rotate_scim_token
from crewbase.signin.sessions import end_own_session
from tests.api.client import ApiClient
from tests.conftest import actor_for, make_account, make_member
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db

INDONESIAN = {"Accept-Language": "id"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request of an Indonesian reader leaves Indonesian active in this thread: actions
    called directly by later tests must see the default language again."""
    yield
    translation.deactivate()


@pytest.fixture
def desk():
    """An owner who reads the console in Indonesian (their browser says English) and an agent."""
    account, owner = make_account(name="Harbor Help")
    update_preferences(actor=actor_for(owner), changes={"language": "id"})
    agent = make_member(account, "agent", email="agnes@example.com")
    return {"account": account, "owner": owner, "agent": agent, "console": _console(owner)}


def _console(member):
    client = signed_in(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the saved choice wins over the browser
    return client


def _api(member, scopes) -> ApiClient:
    _token, secret = create_api_token(actor=actor_for(member), name="host", scopes=scopes)
    return ApiClient(token=secret)


def _in_both_languages(send):
    """The same API call in Indonesian and in English (no header): the two JSON bodies."""
    indonesian, english = send(INDONESIAN), send({})
    assert indonesian.status_code == english.status_code
    return indonesian.json(), english.json()


def test_two_factor_reset_refusal(desk):
    agent = desk["agent"]
    page = desk["console"].post(f"/members/{agent.pk}/reset-2fa/", follow=True)
    assert "agnes@example.com tidak memiliki autentikasi dua faktor untuk direset." in page.text

    api = _api(desk["owner"], ["users.view", "users.manage"])
    indonesian, english = _in_both_languages(
        lambda headers: api.post(f"/members/{agent.pk}/reset-2fa", headers=headers)
    )
    assert indonesian["message"] == (
        "agnes@example.com tidak memiliki autentikasi dua faktor untuk direset."
    )
    assert indonesian["errors"] == {"member": "tidak memiliki autentikasi dua faktor untuk direset"}
    assert english["message"] == "agnes@example.com has no two-factor authentication to reset."


def test_personal_settings_refusal(desk):
    page = desk["console"].post("/settings/", {"form": "notifications", "signature": "x" * 2001})
    assert page.status_code == 422
    assert "Maksimal 2000 karakter." in page.text

    api = _api(desk["owner"], ["users.view"])
    indonesian, english = _in_both_languages(
        lambda headers: api.patch(
            "/me/preferences", {"notifications": {"pager": True}}, headers=headers
        )
    )
    assert indonesian["errors"] == {"notifications.pager": "bukan topik notifikasi"}
    assert english["errors"] == {"notifications.pager": "is not a notification topic"}


SSO_CONNECTION = {
    "name": "Google",
    "preset": "google",
    "client_id": "crewbase-client",
    "client_secret": "s3cret",
    "provisioning": "jit",
}


def test_sso_connection_refusal(desk):
    page = desk["console"].post("/security/sso/", {**SSO_CONNECTION, "domains": "gmail.com"})
    assert page.status_code == 422
    assert "adalah penyedia email pribadi." in page.text

    api = _api(desk["owner"], ["security.manage"])
    indonesian, english = _in_both_languages(
        lambda headers: api.post(
            "/sso/connections", {**SSO_CONNECTION, "domains": ["gmail.com"]}, headers=headers
        )
    )
    assert indonesian["errors"]["domains"] == "gmail.com adalah penyedia email pribadi"
    assert english["errors"]["domains"] == "gmail.com is a personal email provider"


def test_scim_token_refusal(desk):
    role = create_role(
        actor=actor_for(desk["owner"]), name="Security desk", permissions=["security.manage"]
    )
    guard = make_member(desk["account"], role, email="guard@example.com")
    update_preferences(actor=actor_for(guard), changes={"language": "id"})
    page = _console(guard).post("/security/scim/")
    assert page.status_code == 403
    assert "Anda juga memerlukan izin berikut: teams.manage, users.invite" in page.text

    api = _api(desk["owner"], ["security.manage"])
    indonesian, english = _in_both_languages(
        lambda headers: api.post("/scim-token", headers=headers)
    )
    assert indonesian["message"] == (
        "Token SCIM dapat mengelola anggota dan tim; Anda juga memerlukan izin berikut: "
        "teams.manage, users.invite, users.manage, users.view"
    )
    assert english["message"] == (
        "A SCIM token can manage members and teams; you need these permissions too: "
        "teams.manage, users.invite, users.manage, users.view"
    )


def test_scim_answers_identity_providers_in_english(desk):
    _token, secret = rotate_scim_token(actor=actor_for(desk["owner"]))
    user = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "x" * 300,
        "emails": [{"value": "new.person@example.com", "primary": True}],
    }
    answer = signed_in(desk["owner"]).post(
        "/scim/v2/Users",
        json.dumps(user),
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {secret}", **INDONESIAN},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "userName: must be at most 254 characters"


def test_work_figures_refusal(desk):
    agent = desk["agent"]
    period = "perf_from=2026-02-10&perf_to=2026-01-01"
    page = desk["console"].get(f"/members/{agent.pk}/?{period}")
    assert "tidak boleh setelah" in page.text

    api = _api(desk["owner"], ["users.view", "analytics.view"])
    path = f"/members/{agent.pk}/performance?from=2026-02-10&to=2026-01-01"
    indonesian, english = _in_both_languages(lambda headers: api.get(path, headers=headers))
    assert indonesian["errors"] == {"from": "tidak boleh setelah 'to'"}
    assert english["errors"] == {"from": "must not be after 'to'"}


def test_work_events_refusal(desk):
    api = _api(desk["owner"], ["work_events.write"])
    event = {"event_id": "e-1", "type": "ticket_handled", "member_id": desk["agent"].pk}
    indonesian, english = _in_both_languages(
        lambda headers: api.post(
            "/work-events", {"events": [{**event, "score": 3}]}, headers=headers
        )
    )
    assert indonesian["results"][0]["errors"] == {"score": "bukan kolom untuk jenis event ini"}
    assert english["results"][0]["errors"] == {"score": "is not a field of this event type"}


def test_access_review_refusal(desk):
    review = {"name": "Q4 review", "scope": "all", "due_date": "2020-01-01"}
    page = desk["console"].post("/access-review/reviews/", review)
    assert page.status_code == 422
    assert "Harus hari ini atau setelahnya." in page.text

    api = _api(desk["owner"], ["users.manage"])
    indonesian, english = _in_both_languages(
        lambda headers: api.post("/reviews", review, headers=headers)
    )
    assert indonesian["errors"] == {"due_date": "harus hari ini atau setelahnya"}
    assert english["errors"] == {"due_date": "must be today or later"}


def test_checklist_rename_refusal_reads_as_one_sentence(desk):
    console = desk["console"]
    console.post("/access-review/checklists/", {"kind": "onboarding", "title": "Laptop"})
    console.post("/access-review/checklists/", {"kind": "onboarding", "title": "Badge"})
    badge = ChecklistItem.objects.get(title="Badge")
    page = console.post(
        f"/access-review/checklists/{badge.pk}/rename/", {"title": "laptop"}, follow=True
    )
    flash = page.text.split('class="notices"')[1].split("</ul>")[0]
    assert "&#x27;Badge&#x27;: " in flash
    assert "daftar periksa ini sudah memiliki item dengan judul itu." in flash


def test_webhook_refusal(desk):
    hook = {"url": "ftp://hooks.example.com/crewbase"}
    page = desk["console"].post("/security/webhooks/", hook)
    assert page.status_code == 422
    assert "Harus berupa URL http:// atau https://." in page.text

    api = _api(desk["owner"], ["security.manage"])
    indonesian, english = _in_both_languages(
        lambda headers: api.post("/webhooks", hook, headers=headers)
    )
    assert indonesian["errors"] == {"url": "harus berupa URL http:// atau https://"}
    assert english["errors"] == {"url": "must be an http:// or https:// URL"}


FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko Firefox/120.0"


def test_devices_read_in_the_readers_language_and_the_log_keeps_english(desk):
    console = desk["console"]
    console.defaults["HTTP_USER_AGENT"] = FIREFOX_ON_WINDOWS
    page = console.get("/settings/")
    assert "Firefox di Windows" in page.text

    session = UserSession.objects.get(user_id=desk["owner"].person_id)
    with translation.override("id"):
        end_own_session(actor=actor_for(desk["owner"]), session_id=session.pk)
    ended = ActivityEvent.objects.get(action="auth.session_ended")
    assert ended.after["device"] == "Firefox on Windows"
