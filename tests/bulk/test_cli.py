"""`crewbase import-members FILE --account … [--dry-run]` (INV-7, API-3)."""

import pytest
from django.core.management.base import CommandError

from crewbase.core.models import OutboxMessage
from crewbase.people.models import Member, MemberStatus
from tests.cli.commands import run
from tests.conftest import make_account

pytestmark = pytest.mark.django_db


def invited(account) -> list[str]:
    members = Member.objects.filter(account=account, status=MemberStatus.INVITED)
    return sorted(members.values_list("email", flat=True))


def test_dry_run_says_what_would_happen_and_sends_nothing(tmp_path):
    account, _ = make_account()
    path = tmp_path / "people.csv"
    path.write_text("EMAIL;Role;First name\nana@example.com;Agent;Ana\n", encoding="utf-8-sig")
    out, _ = run("import-members", str(path), "--account", str(account.pk), "--dry-run")
    assert "would invite: ana@example.com as Agent" in out
    assert "1 would be invited, 0 skipped (dry run: nothing was sent)" in out
    assert invited(account) == []
    assert not OutboxMessage.objects.exists()


def test_imports_every_row_and_mails_each_person(tmp_path):
    account, _ = make_account()
    path = tmp_path / "people.csv"
    path.write_text("email,role\nana@example.com,Agent\nbo@example.com,Admin\n")
    out, _ = run("import-members", str(path), "--account", str(account.pk))
    assert "invited: bo@example.com as Admin" in out
    assert out.rstrip().endswith("2 invited, 0 skipped")
    assert invited(account) == ["ana@example.com", "bo@example.com"]
    assert OutboxMessage.objects.filter(payload__to="ana@example.com").count() == 1


def test_one_line_per_problem_exit_2_and_nothing_sent(tmp_path):
    account, _ = make_account()
    path = tmp_path / "people.csv"
    path.write_text("email,role\nok@example.com,Agent\nbad@x,Agent\nok@example.com,Ghost\n")
    with pytest.raises(CommandError) as failure:
        run("import-members", str(path), "--account", str(account.pk))
    assert failure.value.returncode == 2
    assert str(failure.value) == f"3 problems in {path}; nothing was sent"
    assert invited(account) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01\x02binary", "is not a CSV text file: it contains binary data"),
        (b"name,role\nAna,Agent\n", "missing column email"),
    ],
)
def test_unreadable_files_are_one_plain_error(tmp_path, content, expected):
    account, _ = make_account()
    path = tmp_path / "photo.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as failure:
        run("import-members", str(path), "--account", str(account.pk))
    assert failure.value.returncode == 2
    assert expected in str(failure.value)


def test_a_missing_file_is_named(tmp_path):
    account, _ = make_account()
    with pytest.raises(CommandError) as failure:
        run("import-members", str(tmp_path / "nope.csv"), "--account", str(account.pk))
    assert "nope.csv: no such file" in str(failure.value)
