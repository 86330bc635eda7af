"""Search by name or email (LIST-1) and the search index staying in step with the members."""

import pytest
from django.db import connection

from crewbase.people import member_search, search_index
from crewbase.people.actions.changes import update_member
from crewbase.people.actions.lifecycle import deactivate_member, delete_member
from crewbase.people.models import Member
from crewbase.people.selectors import list_members
from tests.conftest import actor_for, make_account
from tests.selectors.scene import named_member

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the FTS5 table exists on SQLite only"
)


@pytest.fixture
def scene():
    account, owner = make_account(owner_email="olive@owner.test")
    people = {
        "ada": named_member(account, "Ada", "Lovelace", "ada@analytical.example"),
        "alan": named_member(account, "Alan", "Turing", "alan.turing@bletchley.example"),
        "grace": named_member(account, "Grace", "Hopper", "grace@navy.example"),
        "percent": named_member(account, "Hundred", "100% Sure", "sure@odd.example"),
        "underscore": named_member(account, "Under", "Score", "under_score@odd.example"),
        "plain": named_member(account, "Under", "Xscore", "underxscore@odd.example"),
        "backslash": named_member(account, "Back", "Sl\\ash", "back@odd.example"),
    }
    return actor_for(owner), owner, people


@pytest.fixture(params=["rare", "common"])
def plan(request, monkeypatch):
    """Run under both SQLite plans: FTS candidates read by key, and LIKE along the sort index.

    PostgreSQL has one plan (its planner chooses), so both runs check the same thing there.
    """
    if request.param == "common":
        monkeypatch.setattr(member_search, "RARE_MATCHES", 0)
    return request.param


def found(actor, term, **params) -> set:
    return set(list_members(actor, q=term, limit="200", **params).items)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("lovelace", {"ada"}),
        ("LOVEL", {"ada"}),
        ("e H", {"grace"}),  # across first and last name: "Grace Hopper"
        ("TURING@BLETCH", {"alan"}),
        ("navy.exa", {"grace"}),
        ("  Hopper  ", {"grace"}),
        ("y", {"ada", "alan", "grace"}),  # analytical, bletchley, navy
        ("Ov", {"ada"}),
        ("%", {"percent"}),
        ("0% s", {"percent"}),
        ("_", {"underscore"}),
        ("r_s", {"underscore"}),  # a wildcard "_" would also match "underxscore"
        ("\\", {"backslash"}),
        ("l\\a", {"backslash"}),
        ("nobody", set()),
        ('da"', set()),
        ("ada*", set()),
        ("(lov OR", set()),
    ],
)
def test_substring_of_name_or_email_in_any_case(scene, plan, term, expected):
    actor, _owner, people = scene
    assert found(actor, term) == {people[key] for key in expected}


def test_search_covers_the_whole_account_and_combines_with_filters(scene, plan):
    actor, owner, people = scene
    assert found(actor, ".example") == set(people.values())
    assert found(actor, "o") == set(people.values()) - {people["alan"]} | {owner}
    assert found(actor, ".example", status="active", role=str(people["ada"].role_id)) == set(
        people.values()
    )
    assert found(actor, "owner.test", status="deactivated") == set()


def test_renamed_member_is_found_by_the_new_name_only(scene):
    actor, owner, people = scene
    update_member(actor=actor_for(owner), member=people["ada"], changes={"last_name": "Byron"})
    assert found(actor, "byron") == {people["ada"]}
    assert found(actor, "lovelace") == set()


def test_deleted_member_leaves_the_index(scene):
    actor, _owner, people = scene
    alan = people["alan"]
    deactivate_member(actor=actor, member=alan)
    delete_member(actor=actor, member=alan)
    assert found(actor, "turing") == set()
    newcomer = named_member(actor.account, "Alan", "Turing", "turing2@bletchley.example")
    assert found(actor, "turing") == {newcomer}


@sqlite_only
def test_fts_index_matches_the_table_after_every_kind_of_change(scene):
    actor, owner, people = scene
    update_member(actor=actor_for(owner), member=people["grace"], changes={"first_name": "Amy"})
    deactivate_member(actor=actor, member=people["plain"])
    delete_member(actor=actor, member=people["plain"])
    Member.objects.filter(pk=people["percent"].pk).update(display_name="Bulk Renamed")
    assert member_search.fts_candidates("turing").ids == [people["alan"].pk]
    assert member_search.fts_candidates("Amy Hop").ids == [people["grace"].pk]
    assert member_search.fts_candidates("Grace Hop").ids == []
    assert member_search.fts_candidates("underxscore").ids == []
    assert member_search.fts_candidates("bulk ren").ids == [people["percent"].pk]
    with connection.cursor() as cursor:
        # rank 1 also compares the index with the content table, row by row.
        cursor.execute(
            "INSERT INTO member_search(member_search, rank) VALUES ('integrity-check', 1)"
        )


@sqlite_only
def test_lost_triggers_are_restored_and_the_index_rebuilt(scene):
    actor, _owner, people = scene
    with connection.cursor() as cursor:
        search_index.drop_sqlite_triggers(cursor)
    # What a table rebuild by a later migration leaves behind: changes the index never saw.
    Member.objects.filter(pk=people["ada"].pk).update(display_name="Countess Byron")
    assert search_index.ensure_member_search_index(connection) is True
    assert found(actor, "countess") == {people["ada"]}
    assert found(actor, "lovelace") == set()
    assert search_index.ensure_member_search_index(connection) is False
    Member.objects.filter(pk=people["ada"].pk).update(display_name="Ada Again")
    assert found(actor, "again") == {people["ada"]}


@sqlite_only
def test_reading_members_gives_the_sqlite_planner_statistics(scene, monkeypatch):
    actor, _owner, _people = scene
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'people_member'")
    monkeypatch.setattr(search_index, "_next_statistics_check", 0.0)
    list_members(actor, q="lovelace")
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'people_member'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert "member_name_idx" in analysed
