"""`crewbase import-members FILE`: invite everyone in a CSV file, all or nothing (INV-7)."""

import sys
from pathlib import Path

from crewbase.bulk.csv_parse import MAX_BYTES
from crewbase.bulk.csv_review import READY, SKIP
from crewbase.bulk.import_actions import check_csv, review_csv_import, send_csv_import
from crewbase.cli.base import CrewbaseCommand, bad_input
from crewbase.cli.lookup import actor_from_options, add_account_argument, add_actor_argument
from crewbase.core.errors import ValidationFailed


class Command(CrewbaseCommand):
    help = (
        "Invite the people listed in a CSV file (columns: email, first name, last name, role, "
        "teams, agent access, divisions, phone; email and role required; UTF-8, ',' or ';'; "
        "at most 10,000 rows and 5 MB). Every row is checked first: one bad row rejects the "
        "whole file with one line per problem, and nothing is sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the CSV file, or - for stdin")
        add_account_argument(parser)
        add_actor_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and say what would happen"
        )

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1)
        path = Path(name)
        if not path.is_file():
            raise bad_input(f"{name}: no such file")
        if path.stat().st_size > MAX_BYTES:
            size = path.stat().st_size / 1024 / 1024
            raise bad_input(f"{name}: is {size:.1f} MB; the limit is 5 MB")
        return path.read_bytes()

    def handle(self, *args, **options):
        actor = actor_from_options(options)
        name = options["file"]
        data = self._read(name)
        try:
            _, review = check_csv(actor=actor, data=data)
        except ValidationFailed as refusal:
            if set(refusal.errors) != {"file"}:
                raise
            raise bad_input(f"{name}: {refusal.errors['file']}") from None
        problems = [
            f"row {row}, {column or 'row'}: {reason}" for row, column, reason in review.errors()
        ]
        problems += review.limits
        if problems:
            for line in problems:
                self.stderr.write(f"crewbase import-members: error: {line}")
            raise bad_input(f"{len(problems)} problems in {name}; nothing was sent")
        skipped = [row for row in review.rows if row.status == SKIP]
        ready = [row for row in review.rows if row.status == READY]
        if options["dry_run"]:
            for row in ready:
                self.stdout.write(f"would invite: {row.email} as {row.role_name}")
            for row in skipped:
                self.stdout.write(f"skipped: {row.email} ({row.note})")
            self.stdout.write(
                f"{len(ready)} would be invited, {len(skipped)} skipped (dry run: nothing was sent)"
            )
            return
        if not ready:
            raise bad_input(f"{name}: nobody to invite ({len(skipped)} rows already members)")
        upload, _ = review_csv_import(actor=actor, data=data, filename=Path(name).name)
        # This command is the worker here: it sends even a big file itself.
        result = send_csv_import(actor=actor, upload=upload, background=False)
        for member in result.invited:
            self.stdout.write(f"invited: {member.email} as {member.role.name}")
        for row in result.skipped:
            self.stdout.write(f"skipped: {row.email} ({row.note})")
        self.stdout.write(f"{len(result.invited)} invited, {len(result.skipped)} skipped")
