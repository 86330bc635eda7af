"""Running `crewbase` commands in-process, the way the entry point does."""

import io

from django.core.management import call_command

from crewbase.cli.main import command_name


def run(*argv: str) -> tuple[str, str]:
    """Run `crewbase ARGV…` in this process; returns (stdout, stderr). Errors raise."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command_name(argv[0]), *argv[1:], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
