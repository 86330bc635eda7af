"""Invitations from email to member: resend, cancel, expiry, re-invite, domains, acceptance
rules (INV-1 … INV-6, LIFE-3), through the real actions and the real outbox."""

from datetime import timedelta

import pytest

from crewbase.core import clock
from crewbase.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.core.tokens import hash_secret
from crewbase.people.actions.invitations import (
    MAX_EMAILS_PER_REQUEST,
    accept_invitation,
    cancel_invitation,
    invite_people,
    resend_invitation,
)
from crewbase.people.actions.lifecycle import deactivate_member
from crewbase.people.models import Invitation, InvitationStatus, Member, MemberStatus, Person
from tests.conftest import TEST_PASSWORD, actor_for, builtin_role, make_account, make_member
from tests.people.scenes import events, invitation_token

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "quiet lantern over harbour"


@pytest.fixture
def frozen_clock():
    """Moves time for one test and always gives it back."""
    yield clock.freeze
    clock.freeze(None)


def invite(owner, emails, role="agent", **kwargs):
    return invite_people(
        actor=actor_for(owner), emails=emails, role_id=builtin_role(role).pk, **kwargs
    )


def member_of(account, email) -> Member:
    return Member.objects.select_related("person").get(account=account, email=email)


def test_invitation_email_names_account_inviter_role_link_and_expiry_and_stores_only_a_hash(
    frozen_clock,
):
    _account, owner = make_account(name="Harbour Support")
    frozen_clock(clock.now())
    invite(owner, "nia@example.com", role="supervisor")
    message = OutboxMessage.objects.get(payload__to="nia@example.com")
    body, subject = message.payload["body"], message.payload["subject"]
    token = invitation_token("nia@example.com")
    invitation = Invitation.objects.get(email="nia@example.com")
    assert "Harbour Support" in subject and owner.email in subject
    assert "as Supervisor" in body
    assert f"/invitations/{token}/" in body
    assert f"{invitation.expires_at:%Y}" in body and "expires on" in body
    assert len(token) >= 22  # ≥ 128 bits in URL-safe base64
    assert invitation.token_hash == hash_secret(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.expires_at == clock.now() + timedelta(days=7)


def test_resend_issues_a_fresh_link_and_the_old_one_says_it_was_replaced(frozen_clock):
    account, owner = make_account()
    start = clock.now()
    frozen_clock(start)
    invite(owner, "nia@example.com")
    old_token = invitation_token("nia@example.com")
    member = member_of(account, "nia@example.com")

    frozen_clock(start + timedelta(days=3))
    new_invitation = resend_invitation(actor=actor_for(owner), member=member)
    new_token = invitation_token("nia@example.com")

    assert new_token != old_token
    assert new_invitation.expires_at == start + timedelta(days=10)
    with pytest.raises(Conflict) as replaced:
        accept_invitation(token=old_token, first_name="N", last_name="Ia", password=GOOD_PASSWORD)
    assert replaced.value.errors == {"token": "replaced"}
    assert "replaced" in replaced.value.message
    joined = accept_invitation(
        token=new_token, first_name="Nia", last_name="Ng", password=GOOD_PASSWORD
    )
    assert joined.status == MemberStatus.ACTIVE
    assert OutboxMessage.objects.filter(payload__to="nia@example.com").count() == 2
    assert len(events(account, "member.invitation_resent")) == 1


def test_resend_refused_for_a_member_who_already_joined():
    account, owner = make_account()
    ada = make_member(account)
    with pytest.raises(Conflict):
        resend_invitation(actor=actor_for(owner), member=ada)


def test_cancel_removes_the_invited_member_frees_the_slot_and_the_link_says_cancelled():
    account, owner = make_account(user_limit=2)
    invite(owner, "nia@example.com")
    token = invitation_token("nia@example.com")
    member = member_of(account, "nia@example.com")

    cancel_invitation(actor=actor_for(owner), member=member)

    assert not Member.objects.filter(pk=member.pk).exists()
    with pytest.raises(Conflict) as cancelled:
        accept_invitation(token=token, first_name="N", last_name="Ia", password=GOOD_PASSWORD)
    assert cancelled.value.errors == {"token": "cancelled"}
    assert "cancelled" in cancelled.value.message and "admin" in cancelled.value.message
    event = events(account, "member.invitation_cancelled")[-1]
    assert event.target_id == member.pk and "nia@example.com" in event.target_display
    invite(owner, "other@example.com")  # the slot is free again


def test_expired_link_is_refused_plainly_and_the_member_still_shows_invited(frozen_clock):
    account, owner = make_account()
    account.invite_expiry_days = 2
    account.save()
    start = clock.now()
    frozen_clock(start)
    invite(owner, "nia@example.com")
    token = invitation_token("nia@example.com")

    frozen_clock(start + timedelta(days=2, seconds=1))
    with pytest.raises(Conflict) as expired:
        accept_invitation(token=token, first_name="N", last_name="Ia", password=GOOD_PASSWORD)

    assert expired.value.errors == {"token": "expired"}
    assert "expired" in expired.value.message and "admin" in expired.value.message
    member = member_of(account, "nia@example.com")
    assert member.status == MemberStatus.INVITED
    assert Invitation.objects.get(member=member).is_expired
    assert not member.person.is_registered


def test_link_still_works_just_before_expiry(frozen_clock):
    _account, owner = make_account()
    start = clock.now()
    frozen_clock(start)
    invite(owner, "nia@example.com")
    frozen_clock(start + timedelta(days=7) - timedelta(seconds=1))
    member = accept_invitation(
        token=invitation_token("nia@example.com"),
        first_name="Nia",
        last_name="Ng",
        password=GOOD_PASSWORD,
    )
    assert member.status == MemberStatus.ACTIVE


def test_unknown_link_is_not_found():
    with pytest.raises(NotFound):
        accept_invitation(token="x" * 43, first_name="A", last_name="B", password=GOOD_PASSWORD)
    with pytest.raises(NotFound):
        accept_invitation(token="", first_name="A", last_name="B", password=GOOD_PASSWORD)


def test_reinviting_a_deactivated_member_and_accepting_reactivates_them():
    account, owner = make_account()
    ada = make_member(account, "agent", joined_at=clock.now() - timedelta(days=30))
    joined_at = ada.joined_at
    deactivate_member(actor=actor_for(owner), member=ada, reason="temporary_leave")

    result = invite(owner, ada.email, role="supervisor")
    assert [m.pk for m in result.invited] == [ada.pk]
    assert member_of(account, ada.email).status == MemberStatus.INVITED

    # Ada has credentials already, so she accepts signed in as herself.
    member = accept_invitation(token=invitation_token(ada.email), signed_in_person=ada.person)

    assert member.pk == ada.pk
    assert member.status == MemberStatus.ACTIVE
    assert member.role.builtin_key == "supervisor"
    assert member.deactivated_at is None and member.deactivation_reason == ""
    assert member.joined_at == joined_at
    assert member.person.check_password(TEST_PASSWORD)
    invited_event = events(account, "member.invited")[-1]
    assert invited_event.before["status"] == "deactivated"
    assert invited_event.after["status"] == "invited"


def test_cancelling_the_reinvite_of_a_former_member_returns_them_to_deactivated():
    account, owner = make_account()
    ada = make_member(account, "agent", joined_at=clock.now())
    deactivate_member(actor=actor_for(owner), member=ada)
    invite(owner, ada.email)
    cancel_invitation(actor=actor_for(owner), member=member_of(account, ada.email))
    assert member_of(account, ada.email).status == MemberStatus.DEACTIVATED


@pytest.mark.parametrize(
    ("settings", "email", "needle"),
    [
        (
            {"block_personal_domains": True},
            "someone@gmail.com",
            "the domain gmail.com is a personal email provider",
        ),
        ({"blocked_domains": ["rival.example"]}, "spy@rival.example", "rival.example is blocked"),
        (
            {"allowed_domains": ["harbour.example"]},
            "temp@contractor.example",
            "the domain contractor.example is not in this account's allowed domains "
            "(harbour.example)",
        ),
    ],
)
def test_domain_rules_refuse_the_whole_batch_naming_the_domain(settings, email, needle):
    account, owner = make_account()
    for name, value in settings.items():
        setattr(account, name, value)
    account.save()
    good = "fine@harbour.example"
    with pytest.raises(ValidationFailed) as refused:
        invite(owner, f"{good}, {email}")
    assert set(refused.value.errors) == {email}
    assert needle in refused.value.errors[email]
    assert email in refused.value.message and "Nothing was sent" in refused.value.message
    assert not Member.objects.filter(account=account, email=good).exists()
    assert OutboxMessage.objects.count() == 0


def test_an_existing_person_must_be_signed_in_as_themselves_to_accept():
    other_account, _ = make_account()
    existing = make_member(other_account, email="kim@example.com")
    account, owner = make_account()
    invite(owner, "kim@example.com")
    token = invitation_token("kim@example.com")
    stranger = make_member(account).person

    for signed_in in (None, stranger):
        with pytest.raises(PermissionDenied) as refused:
            accept_invitation(
                token=token,
                signed_in_person=signed_in,
                first_name="Evil",
                last_name="Twin",
                password="attacker chosen password",
            )
        assert refused.value.errors == {"email": "sign in as this person first"}
        assert "kim@example.com" in refused.value.message

    member = accept_invitation(token=token, signed_in_person=existing.person)
    assert member.status == MemberStatus.ACTIVE
    person = Person.objects.get(email="kim@example.com")
    assert person.check_password(TEST_PASSWORD)
    assert not person.check_password("attacker chosen password")
    assert Person.objects.filter(email="kim@example.com").count() == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 8 characters"),
        ("password123", "too common"),
        ("Ngozi2024!", "name or email"),
        ("harbourmaster!!", "name or email"),
        ("x" * 129, "at most 128"),
    ],
)
def test_password_policy_failures_name_the_password_field(password, reason):
    account, owner = make_account()
    invite(owner, "harbourmaster@example.com")
    with pytest.raises(ValidationFailed) as refused:
        accept_invitation(
            token=invitation_token("harbourmaster@example.com"),
            first_name="Ngozi",
            last_name="Adeyemi",
            password=password,
        )
    assert set(refused.value.errors) == {"password"}
    assert reason in refused.value.errors["password"]
    member = member_of(account, "harbourmaster@example.com")
    assert member.status == MemberStatus.INVITED
    assert not member.person.is_registered and not member.person.has_usable_password()


def test_a_password_made_of_first_and_last_name_is_refused():
    _account, owner = make_account()
    invite(owner, "nia@example.com")
    with pytest.raises(ValidationFailed) as refused:
        accept_invitation(
            token=invitation_token("nia@example.com"),
            first_name="Ngozi",
            last_name="Adeyemi",
            password="ngozi-adeyemi",
        )
    assert set(refused.value.errors) == {"password"}


@pytest.mark.parametrize("password", ["Adeyemi Ngozi 1990", "nia.adeyemi!", "ngozi-ngozi"])
def test_passwords_built_from_personal_words_are_refused(password):
    _account, owner = make_account()
    invite(owner, "nia@example.com")
    with pytest.raises(ValidationFailed) as refused:
        accept_invitation(
            token=invitation_token("nia@example.com"),
            first_name="Ngozi",
            last_name="Adeyemi",
            password=password,
        )
    assert "name or email" in refused.value.errors["password"]


def test_a_password_that_merely_contains_a_name_among_other_words_is_accepted():
    _account, owner = make_account()
    invite(owner, "nia@example.com")
    member = accept_invitation(
        token=invitation_token("nia@example.com"),
        first_name="Ngozi",
        last_name="Adeyemi",
        password="ngozi likes purple elephants",
    )
    assert member.status == MemberStatus.ACTIVE


def test_accepting_without_names_names_each_missing_field():
    _account, owner = make_account()
    invite(owner, "nia@example.com")
    with pytest.raises(ValidationFailed) as refused:
        accept_invitation(
            token=invitation_token("nia@example.com"),
            first_name="  ",
            last_name="",
            password=GOOD_PASSWORD,
        )
    assert set(refused.value.errors) == {"first_name", "last_name"}


def test_more_than_a_thousand_emails_are_refused_and_a_thousand_are_not_too_many():
    account, owner = make_account()
    too_many = [f"p{i}@example.com" for i in range(MAX_EMAILS_PER_REQUEST + 1)]
    with pytest.raises(ValidationFailed) as refused:
        invite(owner, ", ".join(too_many))
    assert refused.value.errors == {"emails": "at most 1000 addresses per request"}
    # Exactly 1000 passes the size check (it then stops at the one bad address, cheaply).
    at_limit = [*too_many[: MAX_EMAILS_PER_REQUEST - 1], "not-an-email"]
    with pytest.raises(ValidationFailed) as bad_one:
        invite(owner, at_limit)
    assert bad_one.value.errors == {"not-an-email": "is not a valid email address"}
    assert Member.objects.filter(account=account).count() == 1


def test_emoji_and_non_ascii_names_are_accepted():
    account, owner = make_account()
    invite(owner, "zoe@example.com", first_name="Zoë", last_name="Ōkubo 🚀")
    member = member_of(account, "zoe@example.com")
    assert member.display_name == "Zoë Ōkubo 🚀"
    joined = accept_invitation(
        token=invitation_token("zoe@example.com"),
        first_name="Zoë",
        last_name="Łukasiewicz-Ōkubo 🌊",
        password=GOOD_PASSWORD,
    )
    joined.refresh_from_db()
    assert joined.display_name == "Zoë Łukasiewicz-Ōkubo 🌊"
    assert Person.objects.get(email="zoe@example.com").last_name == "Łukasiewicz-Ōkubo 🌊"
    assert "Łukasiewicz-Ōkubo 🌊" in events(account, "member.joined")[-1].target_display


def test_a_used_invitation_cannot_be_cancelled_or_resent():
    account, owner = make_account()
    invite(owner, "nia@example.com")
    accept_invitation(
        token=invitation_token("nia@example.com"),
        first_name="Nia",
        last_name="Ng",
        password=GOOD_PASSWORD,
    )
    member = member_of(account, "nia@example.com")
    with pytest.raises(Conflict):
        cancel_invitation(actor=actor_for(owner), member=member)
    with pytest.raises(Conflict):
        resend_invitation(actor=actor_for(owner), member=member)
    assert Invitation.objects.get(member=member).status == InvitationStatus.ACCEPTED
