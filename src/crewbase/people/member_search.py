"""Case-insensitive substring search of members by name or email (LIST-1), per database.

`contains(term)` is the condition itself: ILIKE on PostgreSQL, where the pg_trgm GIN indexes
serve it and the planner (which estimates how many rows a pattern matches) decides between
them and walking the sort index; LIKE on SQLite.

SQLite's planner has no such estimate, so people/selectors.py chooses the plan with
`fts_candidates(term)`: the ids of the members, in any account, whose name or email contains
the term, read from the FTS5 trigram index (None when the term is too short to have a
trigram). When there are at most RARE_MATCHES of them the page is read by primary key from
that list; otherwise matches are dense enough that walking the sort index fills a page after
a few rows.

`%`, `_` and `\\` in a term are literal everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Lookup, Q

from crewbase.people.search_index import FTS_TABLE

# Reading this many rows by key (≈ 8 µs each) costs about what walking the index (≈ 0.3 µs an
# entry) costs to fill a page when this many of a million rows match (docs/performance.md).
RARE_MATCHES = 2000
TRIGRAM = 3


class _ContainsIgnoringCase(Lookup):
    """`column ILIKE pattern`: the form pg_trgm indexes serve (Django's icontains uses UPPER)."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def contains(term: str) -> Q:
    """Members whose display name or email contains `term`, ignoring case."""
    if connection.vendor == "postgresql":
        pattern = f"%{connection.ops.prep_for_like_query(term)}%"
        return Q(_ContainsIgnoringCase(F("display_name"), pattern)) | Q(
            _ContainsIgnoringCase(F("email"), pattern)
        )
    return Q(display_name__icontains=term) | Q(email__icontains=term)


@dataclass(frozen=True)
class Candidates:
    ids: list[int]
    # False when the index holds more matches than `ids`: the term is common.
    complete: bool


def fts_candidates(term: str, limit: int | None = None) -> Candidates | None:
    """Ids (any account) matching `term` per the SQLite FTS index; None where there is none."""
    if connection.vendor != "sqlite" or len(term) < TRIGRAM:
        return None
    limit = RARE_MATCHES if limit is None else limit
    # A quoted FTS5 phrase is literal text; with the trigram tokenizer it matches substrings
    # of either column, ignoring case.
    phrase = '"' + term.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",
            [phrase, limit + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return Candidates(ids, complete=len(ids) <= limit)
