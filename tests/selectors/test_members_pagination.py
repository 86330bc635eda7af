"""Sort orders, keyset pages and capped counts of the members list."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from crewbase.people import member_search, selectors
from crewbase.people.keyset import SORT_ORDERS
from crewbase.people.models import Member, MemberStatus
from crewbase.people.selectors import list_members
from tests.conftest import actor_for, make_account
from tests.selectors.scene import named_member

pytestmark = pytest.mark.django_db

BASE = datetime(2029, 6, 1, 12, 0, tzinfo=UTC)
FIELDS = {
    "name": "display_name",
    "email": "email",
    "joined": "joined_at",
    "last_sign_in": "last_sign_in_at",
}


@pytest.fixture
def crowd():
    """Twelve members with tied names, tied dates and missing dates, plus another account."""
    account, owner = make_account(owner_email="zz-owner@example.com")
    Member.objects.filter(pk=owner.pk).update(joined_at=BASE, last_sign_in_at=None)
    spec = [
        # first, last, joined (days after BASE or None), last sign-in (hours or None), status
        ("Sam", "Lee", 3, 5, MemberStatus.ACTIVE),
        ("Sam", "Lee", 3, None, MemberStatus.ACTIVE),
        ("Sam", "Lee", 1, 5, MemberStatus.ACTIVE),
        ("amy", "park", 2, 1, MemberStatus.ACTIVE),
        ("Bo", "Chen", None, None, MemberStatus.INVITED),
        ("Bo", "Chen", None, None, MemberStatus.INVITED),
        ("Cy", "Diaz", 0, 2, MemberStatus.DEACTIVATED),
        ("Dee", "Evans", 7, None, MemberStatus.ACTIVE),
        ("Ed", "Fox", 7, 9, MemberStatus.ACTIVE),
        ("Flo", "Gray", None, None, MemberStatus.INVITED),
        ("Gus", "Hill", 5, 3, MemberStatus.ACTIVE),
    ]
    for n, (first, last, joined, signed_in, status) in enumerate(spec):
        named_member(
            account,
            first,
            last,
            f"{first.lower()}.{last.lower()}.{n}@example.com",
            status=status,
            joined_at=None if joined is None else BASE + timedelta(days=joined),
            last_sign_in_at=None if signed_in is None else BASE + timedelta(hours=signed_in),
        )
    other_account, _ = make_account()
    named_member(other_account, "Sam", "Lee", "sam.lee@elsewhere.example")
    return actor_for(owner), list(Member.objects.filter(account=account))


def expected_order(members, sort: str) -> list[int]:
    """The order the spec promises: by the key, ties by id, members without a date last."""
    order = SORT_ORDERS[sort]
    with_value = [m for m in members if getattr(m, order.field) is not None]
    without = [m for m in members if getattr(m, order.field) is None]
    with_value.sort(key=lambda m: (getattr(m, order.field), m.pk), reverse=order.descending)
    without.sort(key=lambda m: m.pk, reverse=order.descending)
    return [m.pk for m in with_value + without]


def walk(actor, limit, **params) -> tuple[list[int], list]:
    seen, pages, cursor = [], [], None
    while True:
        page = list_members(actor, limit=str(limit), cursor=cursor, **params)
        seen += [m.pk for m in page.items]
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages
        assert len(pages) < 100, "pagination does not end"


@pytest.mark.parametrize("sort", list(SORT_ORDERS))
def test_first_page_follows_the_sort_order(crowd, sort):
    actor, members = crowd
    page = list_members(actor, sort=sort)
    assert [m.pk for m in page.items] == expected_order(members, sort)
    assert page.next_cursor is None
    assert (page.total, page.total_is_estimate) == (12, False)


@pytest.mark.parametrize("sort", list(SORT_ORDERS))
def test_pages_walk_every_member_exactly_once_in_order(crowd, sort):
    actor, members = crowd
    for limit in (1, 2, 5, 11, 12, 13):
        seen, pages = walk(actor, limit, sort=sort)
        assert seen == expected_order(members, sort), f"limit {limit}"
        assert all(len(p.items) == limit for p in pages[:-1])
        assert 1 <= len(pages[-1].items) <= limit


@pytest.mark.parametrize("sort", ["name", "-joined", "last_sign_in"])
def test_pages_of_a_search_and_a_filter_walk_their_matches_once(crowd, sort, monkeypatch):
    actor, members = crowd
    matching = [m for m in members if "ee" in (m.display_name + m.email).lower()]
    assert len(matching) == 4
    active = [m for m in members if m.status == MemberStatus.ACTIVE]
    assert walk(actor, 2, sort=sort, q="EE")[0] == expected_order(matching, sort)
    assert walk(actor, 3, sort=sort, q="example")[0] == expected_order(members, sort)
    monkeypatch.setattr(member_search, "RARE_MATCHES", 0)
    assert walk(actor, 3, sort=sort, q="example")[0] == expected_order(members, sort)
    assert walk(actor, 2, sort=sort, status="active")[0] == expected_order(active, sort)


def test_a_member_added_before_the_cursor_does_not_shift_the_next_page(crowd):
    actor, members = crowd
    first = list_members(actor, sort="name", limit="4")
    named_member(actor.account, "Aaron", "Early", "aaron@example.com")
    second = list_members(actor, sort="name", limit="4", cursor=first.next_cursor)
    expected = expected_order(members, "name")
    assert [m.pk for m in first.items + second.items] == expected[:8]


def test_a_member_removed_on_the_cursor_row_does_not_break_the_walk(crowd):
    actor, members = crowd
    first = list_members(actor, sort="-joined", limit="3")
    Member.objects.filter(pk=first.items[-1].pk).delete()
    second = list_members(actor, sort="-joined", limit="3", cursor=first.next_cursor)
    assert [m.pk for m in second.items] == expected_order(members, "-joined")[3:6]


def test_total_is_exact_under_the_cap_and_a_lower_bound_above_it(crowd, monkeypatch):
    actor, _members = crowd
    page = list_members(actor, limit="2")
    assert (page.total, page.total_is_estimate) == (12, False)
    monkeypatch.setattr(selectors, "COUNT_CAP", 12)
    assert list_members(actor, limit="2").total_is_estimate is False
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    page = list_members(actor, limit="2", status="active")
    assert (page.total, page.total_is_estimate) == (5, True)
    assert len(page.items) == 2
    # A first page that is not full counts itself, whatever the cap.
    page = list_members(actor, limit="50", status="active")
    assert (page.total, page.total_is_estimate) == (8, False)


def test_search_total_is_exact_or_an_honest_lower_bound(crowd, monkeypatch):
    actor, _members = crowd
    searched = list_members(actor, q="example", limit="3")
    if connection.vendor == "sqlite":
        # Few enough FTS matches: read by key, so the count is exact and free.
        assert (searched.total, searched.total_is_estimate) == (12, False)
        # A common term is counted among the first FTS matches: at least, never more.
        monkeypatch.setattr(member_search, "RARE_MATCHES", 4)
        searched = list_members(actor, q="example", limit="3")
        assert searched.total_is_estimate is True
        assert 3 < searched.total <= 12
    else:
        assert (searched.total, searched.total_is_estimate) == (12, False)
        monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
        searched = list_members(actor, q="example", limit="3")
        assert (searched.total, searched.total_is_estimate) == (5, True)
    assert len(searched.items) == 3


def test_default_page_is_fifty_and_the_limit_is_honoured():
    account, owner = make_account()
    for n in range(60):
        named_member(account, "Mem", f"Ber{n:02d}", f"m{n}@example.com")
    actor = actor_for(owner)
    assert len(list_members(actor).items) == 50
    assert len(list_members(actor, limit="200").items) == 61
    assert len(list_members(actor, limit=7).items) == 7


def test_cursor_after_the_longest_possible_name_still_works():
    account, owner = make_account()
    longest = "\U0001f600" * 150  # 4-byte characters: first and last name of 150 each
    for n in range(3):
        named_member(account, longest, longest, f"long{n}@example.com")
    seen, pages = walk(actor_for(owner), 1, sort="name")
    assert len(seen) == 4 == len(set(seen))
    assert max(len(p.next_cursor or "") for p in pages) <= 2048
