"""Who may read members, which members, and how bad list parameters are refused."""

import pytest

from crewbase.access.actions import create_role
from crewbase.core.errors import NotFound, PermissionDenied, ValidationFailed
from crewbase.org.models import Division, Queue, Team
from crewbase.people.keyset import Cursor
from crewbase.people.models import MemberStatus
from crewbase.people.selectors import get_member, list_members, members_visible_to
from tests.conftest import actor_for, make_account, make_member
from tests.selectors.scene import named_member

pytestmark = pytest.mark.django_db


def test_members_of_another_account_never_appear_even_when_they_match():
    account, owner = make_account()
    other_account, other_owner = make_account()
    mine = named_member(account, "Ada", "Lovelace", "ada@example.com")
    theirs = named_member(other_account, "Ada", "Lovelace", "ada.l@example.com")
    actor = actor_for(owner)

    assert set(members_visible_to(actor)) == {owner, mine}
    assert list_members(actor).items == [mine, owner]  # "Ada Lovelace" < "Olive Owner…"
    assert list_members(actor, q="lovelace").items == [mine]
    assert list_members(actor, q="ada").items == [mine]
    assert list_members(actor_for(other_owner), q="ada").items == [theirs]
    with pytest.raises(NotFound):
        get_member(actor, theirs.pk)
    with pytest.raises(NotFound):
        get_member(actor, str(other_owner.pk))


@pytest.mark.parametrize("param", ["team", "division", "queue"])
def test_a_group_of_another_account_is_refused_naming_the_parameter(param):
    _account, owner = make_account()
    other_account, _ = make_account()
    model = {"team": Team, "division": Division, "queue": Queue}[param]
    foreign = model.objects.create(account=other_account, name="Night shift")
    with pytest.raises(ValidationFailed) as refusal:
        list_members(actor_for(owner), **{param: str(foreign.pk)})
    assert refusal.value.errors == {param: f"no {param} with id {foreign.pk} in this account"}


def test_a_custom_role_of_another_account_is_refused():
    _account, owner = make_account()
    _other_account, other_owner = make_account()
    foreign_role = create_role(actor=actor_for(other_owner), name="Night", permissions=[])
    with pytest.raises(ValidationFailed) as refusal:
        list_members(actor_for(owner), role=str(foreign_role.pk))
    assert set(refusal.value.errors) == {"role"}


def test_actor_without_users_view_is_refused_everywhere():
    account, owner = make_account()
    blind_role = create_role(actor=actor_for(owner), name="Blind", permissions=[])
    blind = make_member(account, blind_role)
    actor = actor_for(blind)
    with pytest.raises(PermissionDenied):
        members_visible_to(actor)
    with pytest.raises(PermissionDenied):
        list_members(actor)
    with pytest.raises(PermissionDenied):
        get_member(actor, owner.pk)


def test_a_deactivated_member_sees_nobody():
    account, _owner = make_account()
    gone = make_member(account, "admin", status=MemberStatus.DEACTIVATED)
    with pytest.raises(PermissionDenied):
        list_members(actor_for(gone))


def test_permission_is_checked_before_parameters():
    account, owner = make_account()
    blind = make_member(account, create_role(actor=actor_for(owner), name="Blind", permissions=[]))
    with pytest.raises(PermissionDenied):
        list_members(actor_for(blind), status="nonsense")


@pytest.mark.parametrize("bad_id", ["abc", "", "-3", "1.5", "٣", "99999999999999999999", None])
def test_get_member_with_a_bad_id_is_not_found(bad_id):
    _account, owner = make_account()
    with pytest.raises(NotFound):
        get_member(actor_for(owner), bad_id)


def test_get_member_returns_own_member_with_role_loaded():
    account, owner = make_account()
    member = make_member(account, "supervisor")
    found = get_member(actor_for(owner), str(member.pk))
    assert found == member
    assert "role" in found._state.fields_cache


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"status": "gone"}, "status"),
        ({"status": "Active"}, "status"),
        ({"role": "abc"}, "role"),
        ({"role": "999999"}, "role"),
        ({"team": "x1"}, "team"),
        ({"team": "12345678"}, "team"),
        ({"division": "1e3"}, "division"),
        ({"queue": "-1"}, "queue"),
        ({"agent_access": "maybe"}, "agent_access"),
        ({"agent_access": "1"}, "agent_access"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": 999}, "limit"),
        ({"sort": "age"}, "sort"),
        ({"sort": "-"}, "sort"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "bm9wZQ"}, "cursor"),  # base64 of "nope"
        ({"cursor": Cursor("name", None, 5).encode()}, "cursor"),
        ({"cursor": Cursor("name", "Ada", 0).encode()}, "cursor"),
        ({"cursor": Cursor("joined", "yesterday", 5).encode(), "sort": "joined"}, "cursor"),
        ({"cursor": Cursor("name", "A\x00", 5).encode()}, "cursor"),
        ({"cursor": "x" * 5000}, "cursor"),
        ({"q": "x" * 301}, "q"),
        ({"q": "ab\x00c"}, "q"),
        ({"q": ["ada"]}, "q"),
    ],
)
def test_bad_parameter_is_refused_naming_it(params, param):
    _account, owner = make_account()
    with pytest.raises(ValidationFailed) as refusal:
        list_members(actor_for(owner), **params)
    assert set(refusal.value.errors) == {param}
    assert refusal.value.errors[param]


def test_a_cursor_from_another_sort_order_is_refused_with_the_reason():
    _account, owner = make_account()
    cursor = Cursor("email", "a@example.com", 3).encode()
    with pytest.raises(ValidationFailed) as refusal:
        list_members(actor_for(owner), sort="name", cursor=cursor)
    assert refusal.value.errors == {"cursor": "belongs to sort order 'email', not 'name'"}


def test_every_bad_parameter_is_named_at_once():
    _account, owner = make_account()
    with pytest.raises(ValidationFailed) as refusal:
        list_members(actor_for(owner), status="x", role="y", limit="0", sort="z", team="t")
    assert set(refusal.value.errors) == {"status", "role", "limit", "sort", "team"}


def test_blank_parameters_from_an_empty_form_mean_no_filter():
    account, owner = make_account()
    member = make_member(account)
    page = list_members(
        actor_for(owner),
        q="  ",
        role="",
        status="",
        team="",
        agent_access="",
        division="",
        queue="",
        sort="",
        cursor="",
        limit="",
    )
    assert set(page.items) == {owner, member}
