"""The new actions: account security settings, own profile, own preferences."""

import pytest

from crewbase.accounts.settings_actions import (
    update_account_settings,
    update_own_profile,
    update_preferences,
)
from crewbase.audit.models import ActivityEvent
from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.people.actions.invitations import invite_people
from tests.conftest import actor_for, builtin_role


def _events(account, action):
    return list(ActivityEvent.objects.filter(account=account, action=action).order_by("seq"))


class TestUpdateAccountSettings:
    def test_agent_is_refused_and_nothing_changes(self, scene):
        with pytest.raises(PermissionDenied):
            update_account_settings(actor=actor_for(scene.agent), changes={"invite_expiry_days": 3})
        scene.account.refresh_from_db()
        assert scene.account.invite_expiry_days == 7
        assert not _events(scene.account, "account.updated")

    def test_admin_saves_and_the_event_holds_before_and_after(self, scene):
        account = update_account_settings(
            actor=actor_for(scene.admin),
            changes={
                "invite_expiry_days": "14",
                "block_personal_domains": "on",
                "allowed_domains": "Acme.example\n@crew.example, acme.example",
            },
        )
        account.refresh_from_db()
        assert account.invite_expiry_days == 14
        assert account.block_personal_domains is True
        assert account.allowed_domains == ["acme.example", "crew.example"]
        [event] = _events(scene.account, "account.updated")
        assert event.before == {
            "invite_expiry_days": 7,
            "block_personal_domains": False,
            "allowed_domains": [],
        }
        assert event.after["allowed_domains"] == ["acme.example", "crew.example"]
        assert event.actor_member_id == scene.admin.pk

    def test_saving_the_same_values_records_nothing(self, scene):
        update_account_settings(actor=actor_for(scene.admin), changes={"invite_expiry_days": 7})
        assert not _events(scene.account, "account.updated")

    @pytest.mark.parametrize(
        ("field", "value", "reason"),
        [
            ("allowed_domains", "example", '"example" is not a domain'),
            ("blocked_domains", "acme.example bad_domain!.com", "is not a domain"),
            ("blocked_domains", ["ok.example", 5], "must be a list of domains"),
            ("invite_expiry_days", 0, "from 1 to 30"),
            ("invite_expiry_days", 31, "from 1 to 30"),
            ("invite_expiry_days", "ten", "from 1 to 30"),
            ("invite_expiry_days", True, "from 1 to 30"),
            ("block_personal_domains", "maybe", "true or false"),
            ("colour", "red", "is not an account setting"),
        ],
    )
    def test_each_bad_field_is_named_with_its_reason(self, scene, field, value, reason):
        with pytest.raises(ValidationFailed) as caught:
            update_account_settings(actor=actor_for(scene.admin), changes={field: value})
        assert reason in caught.value.errors[field]

    def test_one_bad_field_applies_nothing(self, scene):
        with pytest.raises(ValidationFailed):
            update_account_settings(
                actor=actor_for(scene.admin),
                changes={"invite_expiry_days": 3, "allowed_domains": "example"},
            )
        scene.account.refresh_from_db()
        assert scene.account.invite_expiry_days == 7
        assert scene.account.allowed_domains == []

    def test_a_domain_cannot_be_both_allowed_and_blocked(self, scene):
        actor = actor_for(scene.admin)
        update_account_settings(actor=actor, changes={"blocked_domains": "rival.example"})
        with pytest.raises(ValidationFailed) as caught:
            update_account_settings(actor=actor, changes={"allowed_domains": "rival.example"})
        assert "both allowed and blocked" in caught.value.errors["allowed_domains"]

    def test_allowed_domains_then_refuse_invitations_elsewhere(self, scene):
        actor = actor_for(scene.admin)
        update_account_settings(actor=actor, changes={"allowed_domains": "acme.example"})
        with pytest.raises(ValidationFailed) as caught:
            invite_people(
                actor=actor_for(scene.admin),
                emails="new@elsewhere.example",
                role_id=builtin_role("agent").pk,
            )
        assert "elsewhere.example" in caught.value.errors["new@elsewhere.example"]
        assert "allowed domains" in caught.value.errors["new@elsewhere.example"]


class TestUpdateOwnProfile:
    def test_an_agent_edits_their_own_name_without_users_manage(self, scene):
        member = update_own_profile(
            actor=actor_for(scene.agent), first_name="  Ada ", last_name="Lovelace"
        )
        member.refresh_from_db()
        assert (member.first_name, member.last_name) == ("Ada", "Lovelace")
        assert member.display_name == "Ada Lovelace"
        [event] = _events(scene.account, "member.updated")
        assert event.target_id == scene.agent.pk
        assert event.after == {"first_name": "Ada", "last_name": "Lovelace"}

    @pytest.mark.parametrize(
        ("first", "last", "field", "reason"),
        [
            ("", "  ", "first_name", "enter a first or a last name"),
            ("x" * 151, "Ok", "first_name", "at most 150"),
            ("Ok", None, "last_name", "must be text"),
        ],
    )
    def test_bad_names_are_refused(self, scene, first, last, field, reason):
        with pytest.raises(ValidationFailed) as caught:
            update_own_profile(actor=actor_for(scene.agent), first_name=first, last_name=last)
        assert reason in caught.value.errors[field]
        assert not _events(scene.account, "member.updated")


class TestUpdatePreferences:
    def test_theme_and_time_zone_are_stored_on_the_person(self, scene):
        person = update_preferences(
            actor=actor_for(scene.agent), changes={"theme": "dark", "time_zone": "Asia/Jakarta"}
        )
        person.refresh_from_db()
        assert person.preferences["theme"] == "dark"
        assert person.preferences["time_zone"] == "Asia/Jakarta"
        [event] = _events(scene.account, "member.preferences_changed")
        assert event.after == {"theme": "dark", "time_zone": "Asia/Jakarta"}

    def test_other_preferences_are_kept(self, scene):
        person = scene.agent.person
        person.preferences = {"members_view": "cards"}
        person.save()
        update_preferences(actor=actor_for(scene.agent), changes={"theme": "light"})
        person.refresh_from_db()
        assert person.preferences == {"members_view": "cards", "theme": "light"}

    @pytest.mark.parametrize(
        ("changes", "field", "reason"),
        [
            ({"theme": "purple"}, "theme", "must be one of: light, dark, system"),
            ({"time_zone": "Mars/Olympus"}, "time_zone", "not a known time zone"),
            ({"time_zone": 5}, "time_zone", "not a known time zone"),
            ({"font": "big"}, "font", "is not a personal preference"),
        ],
    )
    def test_bad_values_are_refused(self, scene, changes, field, reason):
        with pytest.raises(ValidationFailed) as caught:
            update_preferences(actor=actor_for(scene.agent), changes=changes)
        assert reason in caught.value.errors[field]
        scene.agent.person.refresh_from_db()
        assert "theme" not in scene.agent.person.preferences


@pytest.mark.parametrize("raw", ["²", "٣x", "1e3"])
def test_expiry_days_in_other_digits_are_refused_by_name(scene, raw):
    with pytest.raises(ValidationFailed) as refused:
        update_account_settings(actor=actor_for(scene.admin), changes={"invite_expiry_days": raw})
    assert "invite_expiry_days" in refused.value.errors
