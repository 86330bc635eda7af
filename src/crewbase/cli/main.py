"""The `crewbase` command: Django's management commands under one name (API-3)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crewbase.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["crewbase", *sys.argv[1:]])


if __name__ == "__main__":
    main()
