"""Activity labels in the reader's language (SELF-1): the console page, the profile and the
export of an Indonesian admin in Indonesian; the API in whatever language the request asks."""

import csv
import io

import pytest

from crewbase.accounts.settings_actions import update_preferences
from crewbase.people.actions.changes import change_role
from crewbase.people.actions.invitations import invite_people
from tests.api.client import ApiClient
from tests.conftest import actor_for, builtin_role, make_account, make_member
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_activity():
    """An owner who invited someone and changed an agent's role."""
    account, owner = make_account(name="Harbor Help")
    agent = make_member(account, "agent")
    invite_people(
        actor=actor_for(owner), emails="newcomer@example.com", role_id=builtin_role("agent").pk
    )
    change_role(actor=actor_for(owner), member=agent, role_id=builtin_role("supervisor").pk)
    return owner


def _speaking_indonesian(member):
    update_preferences(actor=actor_for(member), changes={"language": "id"})
    return member


def test_the_activity_log_of_an_indonesian_admin_shows_indonesian_labels(admin_activity):
    owner = _speaking_indonesian(admin_activity)
    page = signed_in(owner).get("/activity/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = page.text.split("<tbody>", 1)[1]
    assert "<td>Diundang</td>" in rows
    assert "<td>Peran diubah</td>" in rows
    assert "<td>Preferensi pribadi diubah</td>" in rows
    assert "Role changed" not in page.text and "Invited" not in page.text


def test_an_english_admin_reads_the_same_log_in_english(admin_activity):
    rows = signed_in(admin_activity).get("/activity/").text.split("<tbody>", 1)[1]
    assert "<td>Invited</td>" in rows and "<td>Role changed</td>" in rows


def test_the_filter_for_one_type_names_it_in_indonesian(admin_activity):
    owner = _speaking_indonesian(admin_activity)
    page = signed_in(owner).get("/activity/?type=member.role_changed")
    assert "Peran diubah (member.role_changed)" in page.text
    assert "Siapa yang melakukan “Peran diubah”" in page.text


def test_a_bad_filter_is_explained_in_indonesian(admin_activity):
    owner = _speaking_indonesian(admin_activity)
    page = signed_in(owner).get("/activity/?since=yesterday")
    assert page.status_code == 422
    assert "Masukkan tanggal dengan format YYYY-MM-DD." in page.text


def test_the_profile_activity_of_an_indonesian_reader_is_in_indonesian(admin_activity):
    owner = _speaking_indonesian(admin_activity)
    page = signed_in(owner).get(f"/members/{owner.pk}/")
    assert page.status_code == 200
    assert "Peran diubah" in page.text and "Diundang" in page.text
    assert "Role changed" not in page.text


def test_the_console_csv_export_is_written_in_the_readers_language(admin_activity):
    owner = _speaking_indonesian(admin_activity)
    response = signed_in(owner).post("/activity/export/", {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    labels = {row["action"]: row["label"] for row in csv.DictReader(io.StringIO(text))}
    assert labels["member.invited"] == "Diundang"
    assert labels["member.role_changed"] == "Peran diubah"


def test_the_api_without_accept_language_answers_in_english(admin_activity):
    api = ApiClient(person=admin_activity.person)
    items = api.get("/activity").json()["items"]
    labels = {e["action"]: e["label"] for e in items}
    assert labels["member.invited"] == "Invited"
    assert labels["member.role_changed"] == "Role changed"
    types = {t["key"]: t["label"] for t in api.get("/activity/types").json()}
    assert types["member.role_changed"] == "Role changed"


def test_the_api_answers_in_indonesian_when_asked(admin_activity):
    api = ApiClient(person=admin_activity.person)
    items = api.get("/activity", headers={"Accept-Language": "id"}).json()["items"]
    labels = {e["action"]: e["label"] for e in items}
    assert labels["member.role_changed"] == "Peran diubah"
