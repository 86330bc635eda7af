"""Each account's users counted toward the plan's user limit and agent seats held, kept by the
database itself.

Counting a million-member account on every members page costs ~70 ms; reading one row costs
nothing. Triggers on people_member keep the row in step with every insert, delete and change
of status or agent access, whatever wrote it (an action, a bulk insert, raw SQL), inside the
writer's own transaction, so a limit check under the account lock sees its own changes.

Django's SQLite schema editor drops a table's triggers when it rebuilds the table, so
`ensure_member_counts` runs after every `migrate`: it puts missing triggers back and recounts.
"""

from __future__ import annotations

COUNTS_TABLE = "people_membercounts"
COUNTED = "('invited', 'active')"

# 1 when a member row counts toward the user limit / holds an agent seat, else 0.
_USER = "(CASE WHEN {row}.status IN " + COUNTED + " THEN 1 ELSE 0 END)"
_SEAT = "(CASE WHEN {row}.status IN " + COUNTED + " AND {row}.agent_access THEN 1 ELSE 0 END)"


def _add(row: str, sign: str) -> str:
    user, seat = _USER.format(row=row), _SEAT.format(row=row)
    return (
        f"UPDATE {COUNTS_TABLE} SET users_counted = users_counted {sign} {user}, "
        f"agent_seats_used = agent_seats_used {sign} {seat} WHERE account_id = {row}.account_id;"
    )


_ENSURE_ROW = (
    f"INSERT INTO {COUNTS_TABLE} (account_id, users_counted, agent_seats_used) "
    "VALUES (new.account_id, 0, 0) ON CONFLICT (account_id) DO NOTHING;"
)
_CHANGED = (
    "old.status IS NOT new.status OR old.agent_access IS NOT new.agent_access "
    "OR old.account_id IS NOT new.account_id"
)

SQLITE_TRIGGERS = {
    "member_counts_after_insert": f"""
        CREATE TRIGGER IF NOT EXISTS member_counts_after_insert
        AFTER INSERT ON people_member BEGIN
            {_ENSURE_ROW}
            {_add("new", "+")}
        END""",
    "member_counts_after_delete": f"""
        CREATE TRIGGER IF NOT EXISTS member_counts_after_delete
        AFTER DELETE ON people_member BEGIN
            {_add("old", "-")}
        END""",
    "member_counts_after_update": f"""
        CREATE TRIGGER IF NOT EXISTS member_counts_after_update
        AFTER UPDATE OF status, agent_access, account_id ON people_member
        WHEN {_CHANGED} BEGIN
            {_add("old", "-")}
            {_ENSURE_ROW}
            {_add("new", "+")}
        END""",
}

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION people_member_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {_add("old", "-")}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_ENSURE_ROW}
        {_add("new", "+")}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql"""

POSTGRES_TRIGGERS = {
    "member_counts_after_insert_or_delete": (
        "CREATE TRIGGER member_counts_after_insert_or_delete AFTER INSERT OR DELETE "
        "ON people_member FOR EACH ROW EXECUTE FUNCTION people_member_counts()"
    ),
    "member_counts_after_update": (
        "CREATE TRIGGER member_counts_after_update AFTER UPDATE OF status, agent_access, "
        "account_id ON people_member FOR EACH ROW WHEN ("
        + _CHANGED.replace("IS NOT", "IS DISTINCT FROM")
        + ") EXECUTE FUNCTION people_member_counts()"
    ),
}

RECOUNT = f"""
    INSERT INTO {COUNTS_TABLE} (account_id, users_counted, agent_seats_used)
    SELECT a.id,
           (SELECT COUNT(*) FROM people_member m
             WHERE m.account_id = a.id AND m.status IN {COUNTED}),
           (SELECT COUNT(*) FROM people_member m
             WHERE m.account_id = a.id AND m.status IN {COUNTED} AND m.agent_access)
    FROM accounts_account a
    WHERE true  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
    ON CONFLICT (account_id) DO UPDATE
        SET users_counted = excluded.users_counted, agent_seats_used = excluded.agent_seats_used
"""


def _trigger_names(connection) -> dict[str, str]:
    return POSTGRES_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS


def _existing_triggers(cursor, connection) -> set[str]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'people_member'::regclass "
            "AND NOT tgisinternal"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_member'"
        )
    return {row[0] for row in cursor.fetchall()}


def install(connection) -> None:
    """Create the triggers (idempotent) and count every account from scratch."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            existing = _existing_triggers(cursor, connection)
            for name, sql in POSTGRES_TRIGGERS.items():
                if name not in existing:
                    cursor.execute(sql)
        else:
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
        cursor.execute(RECOUNT)


def uninstall(connection) -> None:
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for name in _trigger_names(connection):
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {name}" + (" ON people_member" if postgres else "")
            )
        if postgres:
            cursor.execute("DROP FUNCTION IF EXISTS people_member_counts()")


def ensure_member_counts(connection) -> bool:
    """Put back triggers a table rebuild dropped, and recount; True if it had to."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if COUNTS_TABLE not in tables or "people_member" not in tables:
            return False  # not migrated this far yet (or rolled back)
        if set(_trigger_names(connection)) <= _existing_triggers(cursor, connection):
            return False
    install(connection)
    return True


KEPT_AND_REAL = f"""
SELECT a.id,
       COALESCE(c.users_counted, 0),
       (SELECT COUNT(*) FROM people_member m
         WHERE m.account_id = a.id AND m.status IN {COUNTED}),
       COALESCE(c.agent_seats_used, 0),
       (SELECT COUNT(*) FROM people_member m
         WHERE m.account_id = a.id AND m.status IN {COUNTED} AND m.agent_access)
FROM accounts_account a LEFT JOIN {COUNTS_TABLE} c ON c.account_id = a.id
"""


def mismatches(cursor) -> list[tuple]:
    """(account id, kept users, real users, kept seats, real seats) wherever the two differ.

    Takes a DB-API cursor, Django's or the driver's own."""
    cursor.execute(KEPT_AND_REAL)
    return [tuple(row) for row in cursor.fetchall() if row[1] != row[2] or row[3] != row[4]]
