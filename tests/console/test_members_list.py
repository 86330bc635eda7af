"""The members list /members/: filters in the URL, search, empty state, views, pages (LIST-1/2)."""

import re

import pytest

from crewbase.people.models import MemberStatus, Person
from tests.conftest import make_member
from tests.console.conftest import signed_in


def names_in(page) -> list[str]:
    return re.findall(r'href="/members/\d+/">([^<]+)</a>', page.text)


def test_owner_sees_every_member_with_status_role_and_seat_counts(scene):
    account = scene["account"]
    account.paid_agent_seats = 3
    account.save()
    make_member(account, "agent", status=MemberStatus.DEACTIVATED, email="gone@example.com")
    page = signed_in(scene["owner"]).get("/members/")
    assert page.status_code == 200
    text = page.text
    assert "agnes@example.com" in text and "gone@example.com" in text
    assert "stranger@example.com" not in text  # another account's member
    assert "Deactivated" in text and "Agent" in text
    assert re.search(r"Agent seats: <strong>\d+ of \d+</strong> used", text)
    assert re.search(r"Users: <strong>\d+ of ", text)
    assert 'href="/members/invite/"' in text


def test_filters_and_search_live_in_the_url_and_narrow_the_list(scene):
    account = scene["account"]
    make_member(account, "agent", status=MemberStatus.DEACTIVATED, email="gone@example.com")
    client = signed_in(scene["owner"])
    deactivated = client.get("/members/", {"status": "deactivated"})
    assert "gone@example.com" in deactivated.text
    assert "agnes@example.com" not in deactivated.text
    assert '<option value="deactivated" selected>' in deactivated.text

    found = client.get("/members/", {"q": "AGNES"})
    assert "agnes@example.com" in found.text and "gone@example.com" not in found.text
    assert 'value="AGNES"' in found.text


def test_no_match_says_so_and_offers_to_clear_filters(scene):
    page = signed_in(scene["owner"]).get("/members/", {"q": "xyz"})
    assert page.status_code == 200
    assert "No members match 'xyz'." in page.text
    assert '<a href="/members/">Clear filters</a>' in page.text


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "sleeping"}, "status"),
        ({"role": "abc"}, "role"),
        ({"team": "99999999"}, "team"),
        ({"agent_access": "maybe"}, "agent_access"),
        ({"sort": "shoe_size"}, "sort"),
        ({"cursor": "%%%not-a-cursor"}, "cursor"),
        ({"limit": "-4"}, "limit"),
        ({"q": "x" * 400}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_junk_query_parameters_are_named_never_a_500(scene, params, field):
    page = signed_in(scene["owner"]).get("/members/", params)
    assert page.status_code == 400
    assert f"<strong>{field}</strong>" in page.text
    assert "Clear filters" in page.text


def test_another_accounts_role_id_is_refused_as_unknown(scene):
    from crewbase.access.models import Role

    foreign = Role.objects.create(account=scene["stranger"].account, name="Foreign", permissions=[])
    page = signed_in(scene["owner"]).get("/members/", {"role": foreign.pk})
    assert page.status_code == 400 and "No role with id" in page.text


def test_card_view_is_remembered_for_the_person(scene):
    client = signed_in(scene["owner"])
    assert 'class="members"' in client.get("/members/").text  # table by default
    chosen = client.post("/members/view/", {"view": "cards", "next": "/members/?q=agnes"})
    assert chosen.status_code == 302 and chosen["Location"] == "/members/?q=agnes"
    assert Person.objects.get(pk=scene["owner"].person_id).preferences["members_view"] == "cards"
    again = signed_in(scene["owner"]).get("/members/")  # a new session: still cards
    assert 'class="member-cards"' in again.text and 'class="members"' not in again.text
    refused = client.post("/members/view/", {"view": "poster", "next": "https://evil.example/"})
    assert refused["Location"] == "/members/"


def test_keyset_pages_walk_forward_and_back(scene):
    account = scene["account"]
    for n in range(5):
        make_member(account, "agent", email=f"page{n}@example.com")
    client = signed_in(scene["owner"])
    seen = []
    url = "/members/?sort=email&limit=3"
    pages = []
    while url:
        page = client.get(url)
        assert page.status_code == 200
        pages.append(url)
        seen += re.findall(r'<div class="muted">([^<]+@example\.com)</div>', page.text)
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = found and found.group(1).replace("&amp;", "&")
        assert "limit=3" in (url or "limit=3")
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7  # owner, agent and 5
    last = client.get(pages[-1])
    previous = re.search(r'href="([^"]+)" rel="prev"', last.text).group(1).replace("&amp;", "&")
    back = client.get(previous)
    assert re.findall(r'<div class="muted">([^<]+@example\.com)</div>', back.text) == seen[3:6]
