"""Areas add filters, columns and profile sections without editing the members pages."""

import pytest
from django.db.models import Q

from crewbase.console import profile_sections
from crewbase.people import list_extensions
from tests.api.client import ApiClient
from tests.console.conftest import signed_in


def _parse_initial(actor, raw, errors):
    if len(raw) != 1 or not raw.isalpha():
        errors["initial"] = "must be one letter"
        return None
    return Q(email__istartswith=raw)


@pytest.fixture
def registered():
    initial = list_extensions.MemberFilter(
        name="initial",
        label="Email initial",
        parse=_parse_initial,
        choices=lambda account: [("", "Any initial"), ("a", "A")],
    )
    column = list_extensions.MemberColumn(
        key="shout",
        label="Shout",
        template="console/members/_text_cell.html",
        values=lambda members: {m.pk: m.email.upper() for m in members},
    )
    section = profile_sections.ProfileSection(
        key="echo",
        title="Echo section",
        template="console/members/_text_section.html",
        context=lambda request, member: {"text": f"echo {member.email}"},
    )
    list_extensions.register_filter(initial)
    list_extensions.register_column(column)
    profile_sections.register(section)
    yield
    list_extensions._FILTERS.pop("initial")
    list_extensions._COLUMNS.pop("shout")
    profile_sections._SECTIONS.pop("echo")


def test_a_registered_filter_and_column_show_in_the_console_list(scene, registered):
    client = signed_in(scene["owner"])
    page = client.get("/members/?initial=a").content.decode()
    assert "AGNES@EXAMPLE.COM" in page
    assert "Email initial" in page
    assert scene["owner"].email.upper() not in page  # owner@… does not start with "a"

    refused = client.get("/members/?initial=ab")
    assert refused.status_code == 400
    assert "must be one letter" in refused.content.decode().lower()


def test_a_registered_filter_works_in_the_api(scene, registered):
    api = ApiClient(person=scene["owner"].person)
    emails = [m["email"] for m in api.get("/members?initial=a").json()["items"]]
    assert emails == ["agnes@example.com"]
    error = api.get("/members?initial=12").json()
    assert error["errors"] == {"initial": "must be one letter"}


def test_a_registered_profile_section_shows_on_the_profile(scene, registered):
    client = signed_in(scene["owner"])
    page = client.get(f"/members/{scene['agent'].pk}/").content.decode()
    assert "Echo section" in page
    assert "echo agnes@example.com" in page
