import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management.base import CommandError

from crewbase.audit.models import ActivityEvent
from crewbase.core import clock
from crewbase.org.models import Division, Team
from crewbase.people.actions.invitations import invite_people
from crewbase.people.export import COLUMNS, write_members_csv, write_members_json
from crewbase.people.models import Member
from tests.cli.commands import run
from tests.conftest import actor_for, builtin_role, make_account, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """An account with a named agent in a team and a division, and an expired invitation."""
    account, owner = make_account()
    agent = make_member(account, "agent", email="zoe@example.com", agent_access=True)
    agent.first_name, agent.last_name = "Zoë", "=HYPERLINK(evil)"
    agent.refresh_display_name()
    agent.save()
    Team.objects.create(account=account, name="VIP").members.add(agent)
    Team.objects.create(account=account, name="Billing").members.add(agent)
    Division.objects.create(account=account, name="EMEA").members.add(agent)
    invite_people(
        actor=actor_for(owner), emails="late@example.com", role_id=builtin_role("read_only").pk
    )
    make_account()  # another account, whose members must never appear
    return account, owner, agent


def rows_of(member_rows, email):
    return next(row for row in member_rows if row["email"] == email)


def test_members_csv_file_has_a_bom_every_column_and_escapes_formulas(scene, tmp_path):
    account, owner, _ = scene
    target = tmp_path / "members.csv"
    clock.freeze(clock.now() + timedelta(days=8))  # the invitation has expired by now
    try:
        _, err = run("export", "members", "--account", str(account.pk), "--format", "csv",
                     "--output", str(target))  # fmt: skip
    finally:
        clock.freeze(None)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert sorted(r["email"] for r in rows) == sorted(
        [owner.email, "zoe@example.com", "late@example.com"]
    )
    zoe = rows_of(rows, "zoe@example.com")
    assert zoe["name"] == "Zoë =HYPERLINK(evil)"
    assert (zoe["role"], zoe["status"], zoe["agent_access"]) == ("Agent", "active", "true")
    assert (zoe["teams"], zoe["divisions"]) == ("Billing; VIP", "EMEA")
    owner_row = rows_of(rows, owner.email)
    assert (owner_row["owner"], owner_row["billing_contact"], owner_row["role"]) == (
        "true",
        "true",
        "Admin",
    )
    assert owner_row["joined_at"].startswith(str(owner.joined_at.date()))
    assert rows_of(rows, "late@example.com")["status"] == "expired"
    assert "Exported 3 members as csv to " in err
    event = ActivityEvent.objects.get(account=account, action="members.exported")
    assert event.actor_member_id == owner.pk and event.after == {"format": "csv", "rows": 3}


def test_a_cell_starting_with_a_formula_character_is_kept_as_text(scene):
    account, _, _ = scene
    member = Member.objects.get(account=account, email="zoe@example.com")
    member.first_name, member.last_name = "", ""
    member.display_name = "=1+1"
    member.save()
    stream = io.StringIO()
    write_members_csv(Member.objects.filter(pk=member.pk), stream)
    row = next(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    assert row["name"] == "'=1+1"


def test_members_json_to_stdout_lists_teams_and_flags(scene):
    account, owner, _ = scene
    out, _ = run("export", "members", "--account", str(account.pk), "--format", "json")
    members = json.loads(out)
    zoe = rows_of(members, "zoe@example.com")
    assert zoe["teams"] == ["Billing", "VIP"] and zoe["divisions"] == ["EMEA"]
    assert zoe["agent_access"] is True and zoe["owner"] is False
    assert zoe["name"] == "Zoë =HYPERLINK(evil)"  # JSON needs no spreadsheet escaping
    assert rows_of(members, "late@example.com")["status"] == "invited"
    assert rows_of(members, owner.email)["owner"] is True
    assert {m["email"] for m in members} == {owner.email, "zoe@example.com", "late@example.com"}


def test_an_empty_selection_is_an_empty_json_array():
    stream = io.StringIO()
    assert write_members_json(Member.objects.none(), stream) == 0
    assert json.loads(stream.getvalue()) == []


def test_a_member_without_data_export_is_refused_and_no_file_appears(scene, tmp_path):
    account, _, agent = scene
    target = tmp_path / "members.csv"
    with pytest.raises(CommandError) as failure:
        run("export", "members", "--account", str(account.pk), "--format", "csv",
            "--as", agent.email, "--output", str(target))  # fmt: skip
    assert "data.export" in str(failure.value)
    assert list(tmp_path.iterdir()) == []
    assert not ActivityEvent.objects.filter(action="members.exported").exists()


def test_activity_csv_and_json_hold_the_accounts_events_and_the_export_is_recorded(scene, tmp_path):
    account, owner, _ = scene
    target = tmp_path / "activity.csv"
    run("export", "activity", "--account", str(account.pk), "--format", "csv",
        "--output", str(target))  # fmt: skip
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # The export is recorded before the rows are read, so the file ends with its own record.
    assert [r["action"] for r in rows] == ["account.created", "member.invited", "activity.exported"]
    assert rows[1]["target"].endswith("<late@example.com>")

    out, _ = run("export", "activity", "--account", str(account.pk), "--format", "json",
                 "--type", "activity.exported")  # fmt: skip
    events = json.loads(out)
    assert [e["action"] for e in events] == ["activity.exported", "activity.exported"]
    assert {e["actor_member_id"] for e in events} == {owner.pk}
    assert [e["after"]["format"] for e in events] == ["csv", "json"]
    assert ActivityEvent.objects.filter(account=account, action="activity.exported").count() == 2


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["activity", "--type", "no.such"], "--type: 'no.such' is not an activity type"),
        (["activity", "--since", "yesterday"], "--since: 'yesterday' is not a date"),
        (["members", "--type", "member.invited"], "apply to activity exports only"),
        (["members", "--output", "/no/such/folder/x.csv"], "--output: the folder /no/such/folder"),
    ],
)
def test_bad_export_options_are_plain_errors_and_nothing_is_recorded(scene, extra, expected):
    account, _, _ = scene
    what, *options = extra
    with pytest.raises(CommandError) as failure:
        run("export", what, "--account", str(account.pk), "--format", "csv", *options)
    assert expected in str(failure.value)
    assert not ActivityEvent.objects.filter(action__endswith=".exported").exists()


def test_members_are_read_in_chunks_each_exactly_once_with_their_own_teams(monkeypatch):
    account, owner = make_account()
    team = Team.objects.create(account=account, name="Night shift")
    members = [make_member(account, email=f"m{i}@example.com") for i in range(7)]
    team.members.add(*members[::2])
    other, _ = make_account()
    outsider = make_member(other, email="outsider@example.com")
    Team.objects.create(account=other, name="Elsewhere").members.add(outsider)
    monkeypatch.setattr("crewbase.people.export.CHUNK_SIZE", 3)
    monkeypatch.setattr("crewbase.people.export.PROGRESS_EVERY", 4)
    stream, progress = io.StringIO(), []
    count = write_members_json(
        Member.objects.filter(account=account), stream, on_progress=progress.append
    )
    rows = json.loads(stream.getvalue())
    assert count == 8 and progress == [4, 8]
    assert [r["email"] for r in rows] == [owner.email] + [m.email for m in members]
    in_team = {r["email"] for r in rows if r["teams"] == ["Night shift"]}
    assert in_team == {m.email for m in members[::2]}
    assert all(r["teams"] in ([], ["Night shift"]) for r in rows)
