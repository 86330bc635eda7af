"""Editing a member and signing them out (LIFE-5, AUTH-7), through the real actions."""

import pytest

from crewbase.core.errors import PermissionDenied, ValidationFailed
from crewbase.people.actions.changes import sign_out_everywhere, update_member
from crewbase.people.models import Member
from tests.conftest import actor_for, make_account, make_member
from tests.people.scenes import events, is_signed_in, signed_in_client

pytestmark = pytest.mark.django_db


def test_sign_out_everywhere_ends_every_session_in_the_account_and_records_how_many():
    account, owner = make_account()
    ada = make_member(account)
    laptop, phone = signed_in_client(ada), signed_in_client(ada)

    ended = sign_out_everywhere(actor=actor_for(owner), member=ada)

    assert ended == 2
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert events(account, "member.signed_out_everywhere")[-1].after == {"sessions_ended": 2}
    assert Member.objects.get(pk=ada.pk).status == "active"


def test_an_agent_cannot_sign_others_out():
    account, _owner = make_account()
    ada, bea = make_member(account), make_member(account)
    bea_browser = signed_in_client(bea)
    with pytest.raises(PermissionDenied):
        sign_out_everywhere(actor=actor_for(ada), member=bea)
    assert is_signed_in(bea_browser)


def test_update_member_edits_name_and_phone_and_keeps_the_display_name_in_step():
    account, owner = make_account()
    ada = make_member(account)
    update_member(
        actor=actor_for(owner), member=ada, changes={"first_name": " Ådá ", "phone": "+62 812"}
    )
    ada = Member.objects.get(pk=ada.pk)
    assert (ada.first_name, ada.phone) == ("Ådá", "+62 812")
    assert ada.display_name == f"Ådá {ada.last_name}"


def test_update_member_refuses_an_email_change_and_unknown_fields_all_at_once():
    account, owner = make_account()
    ada = make_member(account)
    with pytest.raises(ValidationFailed) as refused:
        update_member(
            actor=actor_for(owner),
            member=ada,
            changes={
                "email": "new@example.com",
                "is_owner": True,
                "phone": 12345,
                "last_name": "x" * 151,
                "first_name": "Fine",
            },
        )
    assert refused.value.errors == {
        "email": "email addresses cannot be changed",
        "is_owner": "is not an editable field",
        "phone": "must be text",
        "last_name": "must be at most 150 characters",
    }
    unchanged = Member.objects.get(pk=ada.pk)
    assert unchanged.first_name == ada.first_name and not unchanged.is_owner
    # Giving the same email back is not a change.
    update_member(actor=actor_for(owner), member=ada, changes={"email": ada.email.upper()})
