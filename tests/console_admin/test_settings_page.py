"""/settings/: own name, theme, time zone; links to password change and sessions."""

import pytest

from crewbase.audit.models import ActivityEvent
from tests.console_admin.conftest import client_for


def test_signed_out_visitors_are_sent_to_sign_in(scene):
    from django.test import Client

    response = Client().get("/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_agent_changes_their_own_name(scene):
    client = client_for(scene.agent)
    response = client.post("/settings/", {"form": "name", "first_name": "Ada", "last_name": "L"})
    assert response.status_code == 302
    scene.agent.refresh_from_db()
    assert scene.agent.display_name == "Ada L"
    event = ActivityEvent.objects.get(account=scene.account, action="member.updated")
    assert event.actor_member_id == scene.agent.pk == event.target_id


def test_empty_name_is_refused_on_the_field(scene):
    response = client_for(scene.agent).post(
        "/settings/", {"form": "name", "first_name": " ", "last_name": ""}
    )
    assert response.status_code == 422
    assert "first or a last name" in response.context["name_form"].errors["first_name"][0]


def test_dark_theme_is_applied_on_every_page(scene):
    client = client_for(scene.agent)
    page = client.get("/settings/").content.decode()
    assert "data-theme=" not in page.split(">", 2)[1]  # "system": follow the device
    response = client.post(
        "/settings/", {"form": "preferences", "theme": "dark", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    assert 'data-theme="dark"' in client.get("/settings/").content.decode()
    assert 'data-theme="dark"' in client.get("/roles/").content.decode()
    scene.agent.person.refresh_from_db()
    assert scene.agent.person.preferences["time_zone"] == "Europe/Paris"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"theme": "neon", "time_zone": "UTC"}, "theme"),
        ({"theme": "light", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"theme": "light", "time_zone": ""}, "time_zone"),
    ],
)
def test_bad_preferences_are_field_errors(scene, data, field):
    response = client_for(scene.agent).post("/settings/", {"form": "preferences", **data})
    assert response.status_code == 422
    assert response.context["preferences_form"].errors[field]


def test_links_to_password_change_and_sessions(scene):
    html = client_for(scene.agent).get("/settings/").content.decode()
    assert 'href="/accounts/password/change/"' in html
    assert 'href="/accounts/sessions/"' in html


def test_activity_log_times_follow_the_chosen_time_zone(scene):
    client = client_for(scene.owner)
    client.post("/settings/", {"form": "preferences", "theme": "system", "time_zone": "Asia/Tokyo"})
    page = client.get("/activity/")
    assert page.context["zone"].key == "Asia/Tokyo"
    assert "+09:00" in page.content.decode()
