"""What every `crewbase` command shares: plain one-line errors, progress on stderr (API-3).

Bad input ends the command with `crewbase <command>: error: <message>` on stderr and exit
status 2, never a traceback (pass --traceback to see one while debugging).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import DatabaseError, connections

from crewbase.core.errors import DomainError

BAD_INPUT = 2


def domain_error_message(error: DomainError, option_for_field: dict[str, str] | None = None) -> str:
    """The error's message with its field reasons, on one line, fields named as CLI options."""
    rename = option_for_field or {}
    default = "; ".join(f"{field}: {reason}" for field, reason in error.errors.items())
    reasons = [f"{rename.get(field, field)}: {reason}" for field, reason in error.errors.items()]
    message = error.message.strip()
    if error.errors and message == default:
        message = "; ".join(reasons)
    else:
        missing = [
            text
            for text, reason in zip(reasons, error.errors.values(), strict=True)
            if str(reason) not in message
        ]
        if missing:
            message = f"{message} ({'; '.join(missing)})"
    return " ".join(message.split())


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class CrewbaseCommand(BaseCommand):
    """A management command that turns domain and database errors into plain messages."""

    # The system checks import every URL module and API schema (about a second); data commands
    # run often and in scripts, so they skip them. `serve` runs them before starting.
    requires_system_checks: list | str = []
    # Maps an action's field names to this command's options, so errors name what was typed.
    option_for_field: dict[str, str] = {}

    def create_parser(self, prog_name, subcommand, **kwargs):
        # People type `crewbase create-account`; main.py maps it to the module create_account.
        return super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DomainError as error:
            raise bad_input(domain_error_message(error, self.option_for_field)) from error
        except DatabaseError as error:
            if options.get("traceback"):
                raise
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise CommandError(
                f"database error: {first_line} (is the database reachable, "
                "and has `crewbase migrate` been run?)",
                returncode=1,
            ) from error

    def run_from_argv(self, argv):
        # Django's version prints "CommandError: …"; ours names the command, like argparse does.
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(f"{parser.prog}: error: {error}")
            sys.exit(error.returncode)
        except KeyboardInterrupt:
            self.stderr.write(f"{parser.prog}: interrupted")
            sys.exit(130)
        finally:
            connections.close_all()

    def progress(self, message: str) -> None:
        """Progress goes to stderr so that stdout stays clean for data (exports, tokens)."""
        self.stderr.write(message, style_func=lambda text: text)
        self.stderr.flush()
