"""The search indexes behind the members list (LIST-1), one recipe per database.

PostgreSQL: pg_trgm GIN indexes on people_member.email and .display_name, used by ILIKE.
SQLite: an FTS5 table with the trigram tokenizer over the same two columns (external content
people_member, so the text is not stored twice), kept in step by triggers.

SQLite's planner also needs statistics (sqlite_stat1) to know that `account_id = ?` matches a
million rows rather than ten; without them it walks an account index where a few primary-key
lookups would do. `refresh_planner_statistics` keeps them current the way SQLite recommends
(PRAGMA optimize, with a sampling limit so a million rows take milliseconds).

Django's SQLite schema editor rebuilds a table (copy, drop, rename) for many column changes, and
dropping the old table drops its triggers with it. `ensure_member_search_index` runs after every
`migrate` to put the triggers back and rebuild the index, so a later migration of Member cannot
leave search silently stale.
"""

from __future__ import annotations

import time

from django.db import OperationalError

FTS_TABLE = "member_search"

SQLITE_TRIGGERS = {
    "member_search_after_insert": f"""
        CREATE TRIGGER IF NOT EXISTS member_search_after_insert
        AFTER INSERT ON people_member BEGIN
            INSERT INTO {FTS_TABLE}(rowid, email, display_name)
            VALUES (new.id, new.email, new.display_name);
        END""",
    "member_search_after_delete": f"""
        CREATE TRIGGER IF NOT EXISTS member_search_after_delete
        AFTER DELETE ON people_member BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, email, display_name)
            VALUES ('delete', old.id, old.email, old.display_name);
        END""",
    "member_search_after_update": f"""
        CREATE TRIGGER IF NOT EXISTS member_search_after_update
        AFTER UPDATE OF email, display_name ON people_member
        WHEN old.email IS NOT new.email OR old.display_name IS NOT new.display_name BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, email, display_name)
            VALUES ('delete', old.id, old.email, old.display_name);
            INSERT INTO {FTS_TABLE}(rowid, email, display_name)
            VALUES (new.id, new.email, new.display_name);
        END""",
}

# Rows ANALYZE samples per index: enough for the planner's choices, and quick at any size.
ANALYSIS_LIMIT = 1000
STATISTICS_INTERVAL_SECONDS = 600
_next_statistics_check = 0.0

POSTGRES_INDEXES = {
    "member_name_trgm_idx": "display_name",
    "member_email_trgm_idx": "email",
}


def install(connection) -> None:
    """Create the search index for `connection`'s database (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in POSTGRES_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON people_member "
                    f"USING gin ({column} gin_trgm_ops)"
                )
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "email, display_name, content='people_member', content_rowid='id', "
                "tokenize='trigram')"
            )
            create_sqlite_triggers(cursor)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    """Drop the search index; the pg_trgm extension stays, other tables may use it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRES_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        elif connection.vendor == "sqlite":
            drop_sqlite_triggers(cursor)
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def create_sqlite_triggers(cursor) -> None:
    for sql in SQLITE_TRIGGERS.values():
        cursor.execute(sql)


def drop_sqlite_triggers(cursor) -> None:
    for name in SQLITE_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def missing_sqlite_triggers(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return set(SQLITE_TRIGGERS) - {row[0] for row in cursor.fetchall()}


def ensure_member_search_index(connection) -> bool:
    """Restore the SQLite triggers if a table rebuild dropped them; True if it had to."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        if cursor.fetchone() is None:
            return False  # not migrated this far yet (or rolled back): nothing to keep in step
        if not missing_sqlite_triggers(cursor):
            return False
        create_sqlite_triggers(cursor)
        # Rows may have changed while the triggers were gone.
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        return True


def refresh_planner_statistics(connection, *, force: bool = False) -> None:
    """Let SQLite re-analyse people_member when it has grown or was never analysed.

    PRAGMA optimize looks only at tables this connection has queried, so call it after reading
    members; it does nothing (in microseconds) unless the table changed a lot. At most once per
    STATISTICS_INTERVAL_SECONDS per process, unless `force`.
    """
    global _next_statistics_check
    if connection.vendor != "sqlite":
        return
    now = time.monotonic()
    if not force and now < _next_statistics_check:
        return
    _next_statistics_check = now + STATISTICS_INTERVAL_SECONDS
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (busy_timeout,) = cursor.fetchone()
        # Analysing writes; a reader must not wait long for a writer's lock just for this.
        cursor.execute("PRAGMA busy_timeout = 50")
        try:
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE people_member" if force else "PRAGMA optimize")
        except OperationalError:
            if force:
                raise
            _next_statistics_check = now  # the database was busy: try again next time
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
