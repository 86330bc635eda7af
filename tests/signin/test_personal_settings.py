"""Personal settings (SELF-1): notifications, signature, time zone applied to console times."""

from datetime import UTC, datetime

import pytest

from crewbase.accounts.settings_actions import update_preferences
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import ValidationFailed
from crewbase.people.models import Member, Person
from crewbase.signin.preference_actions import (
    notification_choices,
    signature_of,
    update_notifications_and_signature,
)
from tests.conftest import actor_for, make_account, make_member
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_notifications_and_signature_are_saved_from_the_page_and_recorded():
    account, _ = make_account()
    agent = make_member(account, "agent")
    client = signed_in(agent)
    page = client.get("/settings/")
    assert page.status_code == 200
    assert 'name="notify_ticket_assigned" id="id_notify_ticket_assigned" checked' in page.text
    saved = client.post(
        "/settings/",
        {"form": "notifications", "notify_mention": "on", "signature": "Cheers,\r\nAgnes"},
    )
    assert saved.status_code == 302
    person = Person.objects.get(pk=agent.person_id)
    assert notification_choices(person) == {
        "ticket_assigned": False,
        "ticket_reply": False,
        "mention": True,
        "security": False,
        "weekly_summary": False,
    }
    assert signature_of(person) == "Cheers,\nAgnes"
    event = ActivityEvent.objects.get(action="member.preferences_changed")
    assert event.after["signature"] == "Cheers,\nAgnes"
    # Saving the same again records nothing new.
    client.post(
        "/settings/",
        {"form": "notifications", "notify_mention": "on", "signature": "Cheers,\nAgnes"},
    )
    assert ActivityEvent.objects.filter(action="member.preferences_changed").count() == 1


def test_bad_notification_input_names_the_field():
    account, _ = make_account()
    agent = make_member(account, "agent")
    with pytest.raises(ValidationFailed) as caught:
        update_notifications_and_signature(
            actor=actor_for(agent),
            notifications={"pager": True, "mention": "yes"},
            signature="x" * 2001,
        )
    assert caught.value.errors == {
        "notifications.pager": "is not a notification topic",
        "notifications.mention": "must be true or false",
        "signature": "must be at most 2000 characters",
    }
    page = signed_in(agent).post("/settings/", {"form": "notifications", "signature": "x" * 2001})
    assert page.status_code == 422 and "Must be at most 2000 characters." in page.text


def test_console_times_are_shown_in_the_persons_time_zone():
    account, owner = make_account()
    agent = make_member(account, "agent")
    Member.objects.filter(pk=agent.pk).update(
        last_sign_in_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    )
    client = signed_in(owner)
    assert "2026-03-02 09:00" in client.get(f"/members/{agent.pk}/").text
    update_preferences(actor=actor_for(owner), changes={"time_zone": "Asia/Jakarta"})
    page = client.get(f"/members/{agent.pk}/").text
    assert "2026-03-02 16:00" in page and "2026-03-02 09:00" not in page
    # The API keeps answering in UTC (ISO 8601 with its offset).
    body = client.get(f"/api/v1/members/{agent.pk}").json()
    assert body["last_sign_in_at"].startswith("2026-03-02T09:00:00")


def test_the_accounts_zone_applies_when_the_person_chose_none():
    account, owner = make_account()
    type(account).objects.filter(pk=account.pk).update(time_zone="America/New_York")
    Member.objects.filter(pk=owner.pk).update(
        last_sign_in_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    )
    assert "2026-03-02 04:00" in signed_in(owner).get(f"/members/{owner.pk}/").text


def test_a_broken_stored_zone_falls_back_and_never_fails():
    _account, owner = make_account()
    Person.objects.filter(pk=owner.person_id).update(preferences={"time_zone": "Mars/Olympus"})
    assert signed_in(owner).get("/settings/").status_code == 200


def test_the_api_reads_and_changes_preferences_all_or_nothing():
    from tests.api.client import ApiClient

    account, _ = make_account()
    agent = make_member(account, "agent")
    api = ApiClient(person=agent.person)
    before = api.get("/me/preferences").json()
    assert before["theme"] == "system" and before["notifications"]["mention"] is True
    assert before["signature"] == "" and before["avatar_url"] is None
    changed = api.patch(
        "/me/preferences",
        {"theme": "dark", "time_zone": "Asia/Jakarta", "notifications": {"mention": False}},
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["theme"] == "dark" and body["time_zone"] == "Asia/Jakarta"
    assert body["notifications"]["mention"] is False
    # One bad field: nothing at all is applied, and the field is named.
    refused = api.patch("/me/preferences", {"theme": "light", "signature": "x" * 2001})
    assert refused.status_code == 422
    assert "body.signature" in refused.json()["errors"]
    refused = api.patch("/me/preferences", {"theme": "light", "notifications": {"pager": True}})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"notifications.pager": "is not a notification topic"}
    assert api.get("/me/preferences").json()["theme"] == "dark"
    assert api.patch("/me/preferences", {"colour": "red"}).status_code == 422
