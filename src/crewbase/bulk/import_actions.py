"""Inviting people from a CSV file (INV-7): review every row, then send all or nothing.

`review_csv_import` keeps the upload and says, row by row, what would happen; nothing is
sent. `send_csv_import` re-reads and re-checks the file under the account lock (the account
may have changed since the review), refuses if any confirmed row has an error or the plan's
limits would be exceeded, and otherwise invites every confirmed row in one transaction, in
the style of people.actions.invitations.invite_people: the same invitation, email, activity
event and webhook per person, and the limits checked once for the whole file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from crewbase.access import policy
from crewbase.access.models import Role
from crewbase.audit.record import record
from crewbase.bulk.csv_parse import MAX_BYTES, parse_csv
from crewbase.bulk.csv_review import READY, SKIP, Review, ReviewedRow, limit_problems, review_rows
from crewbase.bulk.models import CsvImport, ImportStatus
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from crewbase.core.models import OutboxMessage
from crewbase.people.actions import limits
from crewbase.people.actions.invitations import _issue_invitation, _member_snapshot
from crewbase.people.models import Member, MemberStatus, Person
from crewbase.people.selectors import parse_id
from crewbase.webhooks.events import emit
from crewbase.webhooks.models import WebhookEndpoint

CHUNK = 900
INLINE_LIMIT = 200
IMPORT_OUTBOX_KIND = "bulk_csv"


def check_csv(*, actor: Actor, data: bytes) -> tuple[str, Review]:
    """Read and review a file without keeping it (the CLI's --dry-run)."""
    policy.require(actor, "users.invite")
    parsed = parse_csv(data)
    return parsed.text, review_rows(actor, parsed)


def review_csv_import(*, actor: Actor, data: bytes, filename: str = "") -> tuple[CsvImport, Review]:
    """Keep the upload and review it; a file-level problem is a ValidationFailed on "file"."""
    text, review = check_csv(actor=actor, data=data)
    with transaction.atomic():
        upload = CsvImport.objects.create(
            account=actor.account,
            created_by=actor.member,
            filename=str(filename or "")[:255],
            content=text,
            row_count=len(review.rows),
            error_count=len(review.errors()),
        )
    return upload, review


def review_uploaded_file(*, actor: Actor, uploaded) -> tuple[CsvImport, Review]:
    """An uploaded file (console or API): refused by its size before it is read."""
    policy.require(actor, "users.invite")
    if uploaded is None:
        raise ValidationFailed({"file": _("choose a CSV file to upload")})
    if uploaded.size > MAX_BYTES:
        raise ValidationFailed(
            {
                "file": _("is %(size)s MB; the limit is 5 MB")
                % {"size": f"{uploaded.size / 1024 / 1024:.1f}"}
            }
        )
    return review_csv_import(actor=actor, data=uploaded.read(), filename=uploaded.name)


def get_csv_import(actor: Actor, import_id) -> CsvImport:
    policy.require(actor, "users.invite")
    parsed = parse_id(import_id)
    upload = CsvImport.objects.filter(account=actor.account, pk=parsed).first() if parsed else None
    if upload is None:
        raise NotFound(_("No such CSV upload in this account."))
    return upload


def review_of(actor: Actor, upload: CsvImport) -> Review:
    return review_rows(actor, parse_csv(upload.content.encode("utf-8")))


@dataclass
class ImportResult:
    upload: CsvImport
    invited: list[Member]
    skipped: list[ReviewedRow]


def _confirmed(review: Review, rows) -> list[ReviewedRow]:
    if rows is None:
        return [row for row in review.rows if row.status in (READY, SKIP)]
    if not isinstance(rows, list | tuple) or not rows:
        raise ValidationFailed({"rows": _("must be a non-empty list of row numbers")})
    by_number = {row.row: row for row in review.rows}
    picked = []
    for number in rows:
        row = by_number.get(number) if isinstance(number, int) else None
        if row is None:
            raise ValidationFailed(
                {"rows": _("%(row)s is not a row of this file") % {"row": str(number)[:20]}}
            )
        picked.append(row)
    return picked


def send_csv_import(
    *, actor: Actor, upload: CsvImport, rows=None, background: bool | None = None
) -> ImportResult:
    """Invite the confirmed rows (all rows without errors when `rows` is None); all or nothing.

    Everything is checked now, under the account lock. A file of more than INLINE_LIMIT rows
    (or `background=True`) is then queued: the worker invites all of them in one transaction,
    after checking again, and the upload says "sent" or "failed" with the reason.
    """
    policy.require(actor, "users.invite")
    with transaction.atomic():
        account = limits.lock_account(actor.account)
        upload = CsvImport.objects.select_for_update().get(pk=upload.pk)
        if upload.status in (ImportStatus.SENT, ImportStatus.QUEUED):
            done = str(upload.get_status_display()).lower()
            raise Conflict(
                _("This file was already %(status)s; nothing was sent again.") % {"status": done},
                errors={"file": _("already %(status)s") % {"status": upload.status}},
            )
        confirmed, to_invite = _checked_rows(actor, account, upload, rows)
        upload.sent_by = actor.member
        upload.confirmed_rows = [row.row for row in confirmed]
        upload.failure = ""
        if background or (background is None and len(to_invite) > INLINE_LIMIT):
            upload.status = ImportStatus.QUEUED
            upload.save(update_fields=["sent_by", "confirmed_rows", "failure", "status"])
            _queue_import(upload)
            return ImportResult(upload, [], [r for r in confirmed if r.status == SKIP])
        return _send(actor, account, upload, confirmed, to_invite)


def _checked_rows(actor: Actor, account, upload: CsvImport, rows):
    review = review_of(actor, upload)
    confirmed = _confirmed(review, rows)
    bad = {
        f"row {r.row}": "; ".join(f"{c}: {why}" for c, why in r.errors)
        for r in confirmed
        if r.errors
    }
    if bad:
        raise ValidationFailed(
            bad,
            message=_("Nothing was sent. Fix these rows: %(problems)s")
            % {"problems": "; ".join(f"{k}: {v}" for k, v in list(bad.items())[:20])},
        )
    to_invite = [row for row in confirmed if row.status == READY]
    if not to_invite:
        raise ValidationFailed({"rows": _("no confirmed row needs an invitation")})
    problems = limit_problems(account, to_invite)
    if problems:
        message = _("Nothing was sent: %(problems)s") % {"problems": "; ".join(problems)}
        raise Conflict(message, errors={"limits": "; ".join(problems)})
    return confirmed, to_invite


def _send(actor: Actor, account, upload: CsvImport, confirmed, to_invite) -> ImportResult:
    invited = _invite_rows(actor, account, to_invite)
    upload.status, upload.sent_at = ImportStatus.SENT, clock.now()
    upload.invited_count = len(invited)
    upload.save()
    skipped = [r for r in confirmed if r.status == SKIP]
    record(
        actor,
        "bulk.csv_imported",
        upload,
        after={"filename": upload.filename, "invited": len(invited), "skipped": len(skipped)},
    )
    return ImportResult(upload, invited, skipped)


def _queue_import(upload: CsvImport) -> None:
    OutboxMessage.objects.create(
        account_id=upload.account_id,
        kind=IMPORT_OUTBOX_KIND,
        idempotency_key=f"bulk-csv-{upload.pk}-{uuid.uuid4().hex[:16]}",
        payload={"import_id": upload.pk},
        next_attempt_at=clock.now(),
    )
    transaction.on_commit(_wake_worker)


def _wake_worker() -> None:
    from crewbase.core.delivery import enqueue_delivery

    enqueue_delivery()


def send_queued_import(message: OutboxMessage, session=None) -> None:
    """The outbox sender for IMPORT_OUTBOX_KIND: the queued file, all or nothing.

    A refusal found now (the plan's limit reached meanwhile, a role deleted) fails the whole
    upload with the reason; an unexpected error raises, and the outbox tries again later.
    """
    upload_id = message.payload.get("import_id") if isinstance(message.payload, dict) else None
    upload = CsvImport.objects.filter(pk=upload_id, status=ImportStatus.QUEUED).first()
    if upload is None:
        return
    sender = Member.objects.select_related("role", "person", "account")
    member = sender.filter(pk=upload.sent_by_id).first()
    actor = Actor.for_member(member, user_agent="bulk invitation worker") if member else None
    try:
        if actor is None:
            raise Conflict(_("the member who sent this file is no longer in the account"))
        policy.require(actor, "users.invite")
        with transaction.atomic():
            account = limits.lock_account(actor.account)
            upload = CsvImport.objects.select_for_update().get(pk=upload.pk)
            if upload.status != ImportStatus.QUEUED:
                return
            confirmed, to_invite = _checked_rows(actor, account, upload, upload.confirmed_rows)
            _send(actor, account, upload, confirmed, to_invite)
    except DomainError as refusal:
        CsvImport.objects.filter(pk=upload.pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED, failure=refusal.message[:500]
        )


def _people_for(rows: list[ReviewedRow]) -> dict[str, Person]:
    """Every row's person: the existing ones, and the new ones inserted in batches."""
    emails = [row.email for row in rows]
    people: dict[str, Person] = {}
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        people.update({p.email: p for p in Person.objects.filter(email__in=chunk)})
    unusable = make_password(None)  # as create_user does for a person without a password
    new = [
        Person(
            email=row.email, first_name=row.first_name, last_name=row.last_name, password=unusable
        )
        for row in rows
        if row.email not in people
    ]
    Person.objects.bulk_create(new, batch_size=CHUNK)
    people.update({p.email: p for p in new})
    return people


def _invite_rows(actor: Actor, account, rows: list[ReviewedRow]) -> list[Member]:
    """invite_people's steps for many rows at once: rows are inserted in batches, and each
    person still gets their own invitation, email and activity event."""
    roles = {role.pk: role for role in Role.objects.for_account(account)}
    people = _people_for(rows)
    existing: dict[str, Member] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = [row.email for row in rows[start : start + CHUNK]]
        for member in Member.objects.filter(account=account, email__in=chunk).select_related(
            "role"
        ):
            existing[member.email] = member
    now = clock.now()
    members, befores, new_members = [], [], []
    for row in rows:
        member = existing.get(row.email)
        befores.append(_member_snapshot(member) if member else None)
        if member is None:
            person = people[row.email]
            member = Member(account=account, person=person, email=row.email)
            member.first_name = row.first_name or person.first_name
            member.last_name = row.last_name or person.last_name
            new_members.append(member)
        member.role = roles[row.role_id]
        member.status = MemberStatus.INVITED
        member.agent_access = row.agent_access
        member.invited_at = now
        member.deactivated_at = None
        member.deactivation_reason = ""
        if row.phone:
            member.phone = row.phone
        member.access_version += 1
        member.refresh_display_name()
        if member.pk is not None:
            member.save()  # a deactivated member invited again (LIFE-3): rare, one by one
        members.append(member)
    Member.objects.bulk_create(new_members, batch_size=CHUNK)
    _add_groups(rows, members)
    # emit() looks for subscribed endpoints on every call; with none there is nothing to queue.
    webhooks = WebhookEndpoint.objects.filter(account=account, active=True).exists()
    for row, member, before in zip(rows, members, befores, strict=True):
        _issue_invitation(actor, member, first_name=row.first_name, last_name=row.last_name)
        record(
            actor,
            "member.invited",
            member,
            before=before,
            after=_member_snapshot(member)
            | {"teams": row.team_ids, "divisions": row.division_ids, "source": "csv"},
        )
        if webhooks:
            emit(
                actor,
                "member.invited",
                {"member_id": member.pk, "email": member.email, "role": row.role_name},
            )
    return members


def _add_groups(rows: list[ReviewedRow], members: list[Member]) -> None:
    teams = Member.teams.through
    divisions = Member.divisions.through
    team_rows, division_rows = [], []
    for row, member in zip(rows, members, strict=True):
        team_rows += [teams(member_id=member.pk, team_id=t) for t in row.team_ids]
        division_rows += [divisions(member_id=member.pk, division_id=d) for d in row.division_ids]
    # A re-invited member may already be in some of them.
    teams.objects.bulk_create(team_rows, batch_size=CHUNK, ignore_conflicts=True)
    divisions.objects.bulk_create(division_rows, batch_size=CHUNK, ignore_conflicts=True)
