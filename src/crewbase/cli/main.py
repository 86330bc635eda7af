"""The `crewbase` command: Django's management commands under one name (API-3)."""

import os
import sys

OVERVIEW = """\
usage: crewbase COMMAND [options]      (crewbase COMMAND --help describes one)

  migrate          create or upgrade the database
  serve            run the web server and the background worker
  worker           deliver queued email and run background tasks
  create-account   create an account and its owner
  invite           invite people into an account
  export           export members or activity as CSV or JSON
  token            create API tokens
  demo             load the "Acme Support" demo account

`crewbase help --all` lists every command, including Django's own.
"""


def command_name(word: str) -> str:
    """`create-account` is how people type it; Django finds the module `create_account`."""
    return word.replace("-", "_") if not word.startswith("-") else word


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewbase.config.settings")
    args = sys.argv[1:]
    if args in ([], ["help"], ["-h"], ["--help"]):
        sys.stdout.write(OVERVIEW)
        return
    if args == ["help", "--all"]:
        args = ["help"]
    from django.core.management import execute_from_command_line

    args[0] = command_name(args[0])
    if len(args) > 1 and args[0] == "help":
        args[1] = command_name(args[1])
    execute_from_command_line(["crewbase", *args])


if __name__ == "__main__":
    main()
