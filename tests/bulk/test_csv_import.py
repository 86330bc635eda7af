"""CSV bulk invite (INV-7): every row reviewed with (row, column, reason); all or nothing."""

import pytest

from crewbase.bulk.csv_parse import MAX_BYTES, parse_csv
from crewbase.bulk.import_actions import review_csv_import, send_csv_import
from crewbase.bulk.models import ImportStatus
from crewbase.core.errors import Conflict, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.org.models import Division, Team
from crewbase.people.models import Member, MemberStatus
from tests.conftest import actor_for, make_account, make_member

pytestmark = pytest.mark.django_db

HEADER = "Email,First Name,Last Name,Role,Teams,Agent Access,Divisions,Phone\n"


def invite_count(account) -> int:
    return Member.objects.filter(account=account, status=MemberStatus.INVITED).count()


def test_a_good_file_is_reviewed_then_sent_with_teams_divisions_and_names():
    account, owner = make_account()
    account.paid_agent_seats = 1
    account.save()
    Team.objects.create(account=account, name="Tier 1")
    Team.objects.create(account=account, name="Billing")
    Division.objects.create(account=account, name="EMEA")
    data = (
        "\ufeff" + HEADER + 'ana@example.com,Ana,Lima,Agent,"Tier 1, Billing",yes,EMEA,+62 21 555\n'
        "bo@example.com,Bo,Berg,admin,,no,,\n"
    ).encode()
    upload, review = review_csv_import(actor=actor_for(owner), data=data, filename="people.csv")
    assert [r.status for r in review.rows] == ["ready", "ready"]
    assert not OutboxMessage.objects.filter(payload__to="ana@example.com").exists()

    result = send_csv_import(actor=actor_for(owner), upload=upload)
    assert len(result.invited) == 2
    ana = Member.objects.get(account=account, email="ana@example.com")
    assert (ana.first_name, ana.last_name, ana.phone, ana.agent_access) == (
        "Ana",
        "Lima",
        "+62 21 555",
        True,
    )
    assert sorted(ana.teams.values_list("name", flat=True)) == ["Billing", "Tier 1"]
    assert list(ana.divisions.values_list("name", flat=True)) == ["EMEA"]
    assert OutboxMessage.objects.filter(payload__to="ana@example.com").count() == 1

    with pytest.raises(Conflict):  # sending the same upload again sends nothing
        send_csv_import(actor=actor_for(owner), upload=upload)
    assert OutboxMessage.objects.filter(payload__to="ana@example.com").count() == 1
    upload.refresh_from_db()
    assert upload.status == ImportStatus.SENT


def test_semicolons_and_excel_quoting_are_read():
    data = b'email;role;first name\n"x@example.com";Agent;"Ann ""Nan"" O;Neil"\n'
    parsed = parse_csv(data)
    assert parsed.delimiter == ";"
    assert parsed.rows[0].values["first name"] == 'Ann "Nan" O;Neil'


def test_every_bad_row_is_listed_with_row_column_and_reason_and_nothing_is_sent():
    account, owner = make_account()
    Team.objects.create(account=account, name="Tier 1")
    data = (
        HEADER
        + "good@example.com,A,B,Agent,Tier 1,no,,\n"
        + "not-an-email,A,B,Agent,,no,,\n"
        + "c@example.com,A,B,Wizard,,no,,\n"
        + "d@example.com,A,B,Agent,Tier 9,maybe,,\n"
        + "GOOD@example.com,A,B,Agent,,no,,\n"
    ).encode()
    upload, review = review_csv_import(actor=actor_for(owner), data=data)
    errors = review.errors()
    assert (3, "email", "not-an-email is not a valid email address") in errors
    assert any(e[:2] == (4, "role") and "no role named 'Wizard'" in e[2] for e in errors)
    assert (5, "teams", "no team named 'Tier 9' in this account") in errors
    assert (5, "agent access", "'maybe' must be yes or no") in errors
    assert (6, "email", "good@example.com is already on row 2 of this file") in errors

    with pytest.raises(ValidationFailed) as refusal:
        send_csv_import(actor=actor_for(owner), upload=upload, rows=[2, 3])
    assert set(refusal.value.errors) == {"row 3"}
    assert invite_count(account) == 0
    # Only the good row confirmed: it goes.
    result = send_csv_import(actor=actor_for(owner), upload=upload, rows=[2])
    assert [m.email for m in result.invited] == ["good@example.com"]


def test_a_malformed_email_on_row_7312_of_a_big_file_is_reported_on_that_row():
    _account, owner = make_account()
    lines = [f"person{i}@example.com,Agent" for i in range(2, 10_001)]
    lines[7312 - 2] = "person7312@@example.com,Agent"
    data = ("email,role\n" + "\n".join(lines) + "\n").encode()
    _, review = review_csv_import(actor=actor_for(owner), data=data)
    assert len(review.rows) == 9_999
    assert review.errors() == [
        (7312, "email", "person7312@@example.com is not a valid email address")
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"first name,role\nAna,Agent\n", "missing column email"),
        (b"email,role,shoe size\na@example.com,Agent,42\n", "unknown column 'shoe size'"),
        (b"email,role\n" + b"a@example.com,Agent\n" * 10_001, "more than 10,000 rows"),
        (b"", "is empty"),
        (b"email,role\n", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary data"),
        (b"email,role\n\xff\xfe\xfd,Agent\n", "not UTF-8"),
        (b"email,role\n" + b"x" * (MAX_BYTES + 1), "the limit is 5 MB"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(data, reason):
    _account, owner = make_account()
    with pytest.raises(ValidationFailed) as refusal:
        review_csv_import(actor=actor_for(owner), data=data, filename="upload.csv")
    assert reason in refusal.value.errors["file"]


def test_a_50_mb_file_is_refused_before_it_is_read():
    _account, owner = make_account()
    data = b"email,role\n" + b"someone@example.com,Agent\n" * (50 * 1024 * 1024 // 26)
    with pytest.raises(ValidationFailed) as refusal:
        review_csv_import(actor=actor_for(owner), data=data)
    assert refusal.value.errors == {"file": "is 50.0 MB; the limit is 5 MB"}


def test_members_already_active_or_invited_are_skipped_not_errors():
    account, owner = make_account()
    make_member(account, "agent", email="here@example.com")
    data = b"email,role\nhere@example.com,Agent\nnew@example.com,Agent\n"
    upload, review = review_csv_import(actor=actor_for(owner), data=data)
    assert [(r.status, r.note) for r in review.rows] == [
        ("skip", "already an active member"),
        ("ready", ""),
    ]
    result = send_csv_import(actor=actor_for(owner), upload=upload)
    assert [m.email for m in result.invited] == ["new@example.com"]
    assert [r.email for r in result.skipped] == ["here@example.com"]


def test_the_plan_limits_are_checked_for_the_whole_file_under_the_lock():
    account, owner = make_account()
    data = b"email,role,agent access\na@example.com,Agent,yes\nb@example.com,Agent,yes\n"
    upload, review = review_csv_import(actor=actor_for(owner), data=data)
    assert review.limits and "agent" in review.limits[0]
    with pytest.raises(Conflict) as refusal:
        send_csv_import(actor=actor_for(owner), upload=upload)
    assert "Nothing was sent" in refusal.value.message
    assert invite_count(account) == 0
