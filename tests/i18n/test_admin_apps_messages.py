"""Refusals and notices of the admin apps in the reader's language (SELF-1).

For each app (accounts, access, people, org, bulk, api, console, audit): an admin who chose
Indonesian reads the reason in Indonesian on the console page, and an API client gets it in
Indonesian with `Accept-Language: id` and in English without it. Reasons are translated where
they are raised, so the same action answers each caller in that caller's language.
"""

from __future__ import annotations

import html

import pytest
from django.utils.translation import gettext_lazy

from crewbase.access.actions import create_role
from crewbase.accounts.settings_actions import update_preferences
from crewbase.api.actions import create_api_token
from crewbase.core.errors import ValidationFailed
from crewbase.org import actions as org_actions
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db

INDONESIAN = {"Accept-Language": "id"}
MEMBER_SCOPES = ["users.view", "users.invite", "users.manage"]


@pytest.fixture
def office():
    """An account whose owner reads the console in Indonesian, and an API token of theirs."""
    account, owner = make_account(name="Harbor Help")
    update_preferences(actor=actor_for(owner), changes={"language": "id"})
    _token, secret = create_api_token(
        actor=actor_for(owner),
        name="i18n",
        scopes=[*MEMBER_SCOPES, "roles.manage", "teams.manage", "audit.view"],
    )
    return {"account": account, "owner": owner, "console": signed_in(owner), "token": secret}


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _both_languages(office, method: str, path: str, body=None):
    """The same API call with and without `Accept-Language: id`, as JSON bodies."""
    api = ApiClient(token=office["token"])
    call = getattr(api, method)
    args = (path,) if body is None else (path, body)
    indonesian = call(*args, headers=INDONESIAN)
    english = call(*args)
    assert indonesian.status_code == english.status_code
    return indonesian.json(), english.json()


# --- access -------------------------------------------------------------------------------


def test_a_role_name_clash_in_indonesian_on_the_page_and_by_language_in_the_api(office):
    create_role(actor=actor_for(office["owner"]), name="Tier 2", permissions=["users.view"])

    page = office["console"].post("/roles/new/", {"name": "Tier 2", "permissions": "users.view"})
    assert page.status_code == 422
    assert "Peran bernama 'Tier 2' sudah ada di akun ini." in _page(page)

    indonesian, english = _both_languages(
        office, "post", "/roles", {"name": "Tier 2", "permissions": ["users.view"]}
    )
    assert indonesian["errors"] == {"name": "peran bernama 'Tier 2' sudah ada di akun ini"}
    assert english["errors"] == {"name": "a role named 'Tier 2' already exists in this account"}


def test_a_missing_permission_names_its_label_in_indonesian(office):
    body = {"new_contact_id": office["owner"].pk}
    indonesian, english = _both_languages(office, "post", "/account/billing-contact", body)
    assert indonesian["message"] == (
        "Anda memerlukan izin 'billing.manage' (Kelola paket dan pembayaran) untuk melakukan ini."
    )
    assert english["message"] == (
        "You need the permission 'billing.manage' (Manage plan and payment) to do this."
    )


# --- accounts -----------------------------------------------------------------------------


def test_a_bad_domain_in_the_security_settings_reads_in_indonesian(office):
    page = office["console"].post(
        "/security/",
        {"form": "settings", "invite_expiry_days": "7", "allowed_domains": "example"},
    )
    assert page.status_code == 422
    assert '"example" bukan domain (seharusnya nama seperti example.com)' in _page(page)


def test_undoing_a_cancellation_that_is_not_scheduled_by_language():
    # Owner-only account actions need a session; this owner has no saved language for the API
    # to follow, so the request's Accept-Language decides.
    _account, owner = make_account()
    api = ApiClient(person=owner.person)
    indonesian = api.post("/account/undo-cancel", headers=INDONESIAN)
    english = api.post("/account/undo-cancel")
    assert indonesian.status_code == english.status_code == 409
    assert indonesian.json()["message"] == "Akun ini tidak dijadwalkan berakhir."
    assert english.json()["message"] == "The account is not scheduled to end."


# --- people -------------------------------------------------------------------------------


def test_an_invalid_invitation_address_in_indonesian(office):
    agent = builtin_role("agent").pk
    page = office["console"].post("/members/invite/", {"emails": "bad@", "role": agent})
    text = _page(page)
    assert "Bukan alamat email yang valid." in text
    assert "Tidak ada yang dikirim. Perbaiki alamat yang tercantum di bawah." in text

    indonesian, english = _both_languages(
        office, "post", "/invitations", {"emails": "bad@", "role_id": agent}
    )
    assert indonesian["errors"] == {"bad@": "bukan alamat email yang valid"}
    assert indonesian["message"].startswith("Tidak ada yang dikirim. Perbaiki alamat berikut:")
    assert english["errors"] == {"bad@": "is not a valid email address"}


def test_an_unknown_member_is_not_found_in_indonesian(office):
    indonesian, english = _both_languages(office, "get", "/members/999999")
    assert indonesian["message"] == "Anggota tersebut tidak ada di akun ini."
    assert english["message"] == "No such member in this account."


# --- org ----------------------------------------------------------------------------------


def test_a_team_name_clash_in_indonesian(office):
    org_actions.create_team(actor=actor_for(office["owner"]), name="Escalations")

    page = office["console"].post("/teams/", {"name": "ESCALATIONS"})
    assert page.status_code == 422
    assert "Tim bernama 'ESCALATIONS' sudah ada di akun ini." in _page(page)

    indonesian, english = _both_languages(office, "post", "/teams", {"name": "Escalations"})
    assert indonesian["errors"] == {"name": "tim bernama 'Escalations' sudah ada di akun ini"}
    assert english["errors"] == {
        "name": "a team named 'Escalations' already exists in this account"
    }


# --- bulk ---------------------------------------------------------------------------------


def test_a_bulk_action_with_a_bad_status_filter_in_indonesian(office):
    page = office["console"].get("/bulk/preview/?action=deactivate&scope=all&f_status=asleep")
    assert page.status_code == 422
    assert "Harus salah satu dari: active, invited" in _page(page)

    body = {"action": "deactivate", "filter": {"status": "asleep"}}
    indonesian, english = _both_languages(office, "post", "/bulk-actions/preview", body)
    assert indonesian["errors"]["status"].startswith("harus salah satu dari: active, invited")
    assert english["errors"]["status"].startswith("must be one of: active, invited")


def test_a_csv_row_problem_reads_in_indonesian(office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", b"email;role\nbad@;Agent\n", "text/csv")
    sent = office["console"].post("/bulk/import/", {"file": upload})
    review = _page(office["console"].get(sent["Location"]))
    assert "bad@ bukan alamat email yang valid" in review


# --- api ----------------------------------------------------------------------------------


def test_a_body_that_is_not_json_by_language(office):
    api = ApiClient(token=office["token"])
    indonesian = api.post("/teams", raw=b"{nope", headers=INDONESIAN)
    english = api.post("/teams", raw=b"{nope")
    assert indonesian.status_code == english.status_code == 400
    assert indonesian.json()["message"] == "Isi permintaan bukan JSON yang valid."
    assert english.json()["message"] == "The request body is not valid JSON."


def test_a_missing_field_by_language(office):
    indonesian, english = _both_languages(office, "post", "/roles", {"permissions": []})
    assert indonesian["errors"] == {"body.name": "wajib diisi"}
    assert english["errors"] == {"body.name": "is required"}


def test_a_field_over_its_limit_by_language(office):
    body = {"name": "x" * 81, "permissions": []}
    indonesian, english = _both_languages(office, "post", "/roles", body)
    assert indonesian["errors"] == {"body.name": "paling banyak 80 karakter"}
    assert english["errors"] == {"body.name": "must have at most 80 characters"}


# --- console ------------------------------------------------------------------------------


def test_a_notice_after_saving_reads_in_indonesian(office):
    role = create_role(actor=actor_for(office["owner"]), name="Tier 2", permissions=[])
    saved = office["console"].post(
        f"/roles/{role.pk}/", {"name": "Tier 3", "permissions": "users.view"}, follow=True
    )
    assert "Peran disimpan." in _page(saved)


def test_permission_labels_of_the_role_page_read_in_indonesian(office):
    page = _page(office["console"].get("/roles/new/"))
    assert "Undang orang (users.invite)" in page


# --- audit --------------------------------------------------------------------------------


def test_an_unknown_activity_type_by_language(office):
    indonesian, english = _both_languages(office, "get", "/activity?type=no.such")
    assert indonesian["errors"] == {"query.type": "jenis aktivitas 'no.such' tidak dikenal"}
    assert english["errors"] == {"query.type": "unknown activity type 'no.such'"}


def test_an_export_in_an_unknown_format_is_refused_in_indonesian(office):
    page = office["console"].post("/activity/export/", {"format": "xml"})
    assert page.status_code == 422
    assert "harus salah satu dari: csv, json" in _page(page)


# --- core ---------------------------------------------------------------------------------


def test_lazy_reasons_become_plain_text_in_the_language_of_the_raise():
    from django.utils import translation

    with translation.override("id"):
        refusal = ValidationFailed({"name": gettext_lazy("is required")})
    assert refusal.errors == {"name": "wajib diisi"}
    assert type(refusal.errors["name"]) is str
    assert refusal.message == "name: wajib diisi"
