"""Filtering the users list by skill and level range (ORG-2, LIST-1) via people/list_extensions."""

from __future__ import annotations

import pytest

from crewbase.org import skill_actions
from crewbase.org.list_columns import parse_level_range
from crewbase.people.selectors import list_members
from tests.api.client import ApiClient
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    account, owner = make_account()
    admin = actor_for(owner)
    french = skill_actions.create_skill(actor=admin, name="French")
    german = skill_actions.create_skill(actor=admin, name="German")
    people = {}
    for name, levels in {
        "fluent": {french: 90},
        "middling": {french: 60, german: 90},
        "beginner": {french: 10, german: 60},
        "none": {},
    }.items():
        member = make_member(account, email=f"{name}@example.com")
        for skill, level in levels.items():
            skill_actions.assign_skill(actor=admin, member=member, skill_id=skill.pk, level=level)
        people[name] = member
    return {"owner": owner, "french": french, "german": german}


def _emails(api, query) -> list[str]:
    response = api.get(f"/members?{query}")
    assert response.status_code == 200, response.content
    return sorted(m["email"].split("@")[0] for m in response.json()["items"])


def test_skill_and_level_range_match_the_same_skill(crew):
    api = ApiClient(person=crew["owner"].person)
    french, german = crew["french"].pk, crew["german"].pk
    assert _emails(api, f"skill={french}") == ["beginner", "fluent", "middling"]
    # middling holds German at 90 but French at 60: the range applies to French only.
    assert _emails(api, f"skill={french}&skill_level=80-100") == ["fluent"]
    assert _emails(api, f"skill={french}&skill_level=50-80") == ["middling"]
    assert _emails(api, f"skill={german}&skill_level=60") == ["beginner"]


def test_a_level_range_alone_matches_any_skill_once(crew):
    api = ApiClient(person=crew["owner"].person)
    # middling holds two skills in the range and is listed once.
    assert _emails(api, "skill_level=50-100") == ["beginner", "fluent", "middling"]
    assert _emails(api, "skill_level=1-20") == ["beginner"]


def test_a_skill_chosen_in_an_earlier_call_does_not_narrow_a_later_one(crew):
    actor = actor_for(crew["owner"])

    def emails(**filters):
        page = list_members(actor, **filters)
        return sorted(m.email.split("@")[0] for m in page.items)

    assert emails(skill=str(crew["german"].pk)) == ["beginner", "middling"]
    assert emails(skill_level="90") == ["fluent", "middling"]
    assert emails(skill=str(crew["german"].pk), skill_level="90") == ["middling"]


def test_bad_skill_filters_name_the_field(crew):
    api = ApiClient(person=crew["owner"].person)
    for query, field, words in (
        ("skill_level=high", "skill_level", "range such as 50-80"),
        ("skill_level=0-50", "skill_level", "from 1 to 100"),
        ("skill_level=80-50", "skill_level", "lowest first"),
        ("skill_level=101", "skill_level", "from 1 to 100"),
        ("skill=abc", "skill", "no such skill"),
        ("skill=999999", "skill", "no such skill"),
        ("skill=%C2%B2", "skill", "no such skill"),  # "²" is a digit to str.isdigit
        ("skill=99999999999999999999999", "skill", "no such skill"),
    ):
        response = api.get(f"/members?{query}")
        assert response.status_code == 422, (query, response.content)
        assert words in response.json()["errors"][field], (query, response.json())


def test_another_accounts_skill_is_unknown(crew):
    _other, other_owner = make_account()
    response = ApiClient(person=other_owner.person).get(f"/members?skill={crew['french'].pk}")
    assert response.status_code == 422
    assert response.json()["errors"] == {"skill": "no such skill in this account"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("60", (60, 60)), ("50-80", (50, 80)), (" 1 - 100 ", (1, 100)), ("100-1", None), ("", None)],
)
def test_level_ranges_are_read_strictly(text, expected):
    assert parse_level_range(text) == expected


def test_the_console_list_offers_and_applies_the_skill_filter(crew, client):
    client.force_login(crew["owner"].person)
    page = client.get(f"/members/?skill={crew['french'].pk}&skill_level=80-100").content.decode()
    assert "fluent@example.com" in page
    assert "middling@example.com" not in page
    assert 'name="skill_level"' in page
    refused = client.get("/members/?skill_level=high")
    assert refused.status_code == 400
    assert "range such as 50-80" in refused.content.decode()
