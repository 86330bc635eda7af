"""`crewbase invite`: invite people into an account through `invite_people` (INV-1, INV-2)."""

import sys

from crewbase.cli.base import CrewbaseCommand, bad_input
from crewbase.cli.lookup import (
    actor_from_options,
    add_account_argument,
    add_actor_argument,
    find_role,
)
from crewbase.org.models import Division, Team
from crewbase.people.actions.invitations import invite_people


def _named_in_account(model, account, names: list[str], option: str) -> list[int]:
    ids = []
    for name in names:
        obj = model.objects.filter(account=account, name__iexact=name.strip()).first()
        if obj is None and name.strip().isdigit():
            obj = model.objects.filter(account=account, pk=int(name)).first()
        if obj is None:
            raise bad_input(f"{option}: no {model._meta.verbose_name} {name!r} in this account")
        ids.append(obj.pk)
    return ids


class Command(CrewbaseCommand):
    help = (
        "Invite people by email, all with the same role and access. Give '-' to read addresses "
        "from stdin (separated by commas, spaces, semicolons or new lines). All or nothing: one "
        "bad address rejects the whole batch and nothing is sent."
    )
    option_for_field = {"role": "--role", "agent_access": "--agent-access"}

    def add_arguments(self, parser):
        add_account_argument(parser)
        parser.add_argument("--role", required=True, metavar="NAME_OR_ID")
        parser.add_argument(
            "--agent-access", action="store_true", help="give each a (paid) agent seat"
        )
        parser.add_argument(
            "--team", action="append", default=[], metavar="NAME_OR_ID", help="repeatable"
        )
        parser.add_argument(
            "--division", action="append", default=[], metavar="NAME_OR_ID", help="repeatable"
        )
        add_actor_argument(parser)
        parser.add_argument("emails", nargs="+", metavar="EMAIL", help="addresses, or - for stdin")

    def handle(self, *args, **options):
        actor = actor_from_options(options)
        account = actor.account
        role = find_role(account, options["role"])
        words = []
        for word in options["emails"]:
            if word == "-":
                if sys.stdin.isatty():
                    self.progress("Reading addresses from stdin; end with Ctrl-D.")
                word = sys.stdin.read()
            words.append(word)
        result = invite_people(
            actor=actor,
            emails=" ".join(words),
            role_id=role.pk,
            agent_access=options["agent_access"],
            team_ids=_named_in_account(Team, account, options["team"], "--team"),
            division_ids=_named_in_account(Division, account, options["division"], "--division"),
        )
        for member in result.invited:
            self.stdout.write(f"invited: {member.email} as {role.name}")
        for email, why in result.skipped:
            self.stdout.write(f"skipped: {email} ({why})")
        for member in result.resend_offered:
            self.stdout.write(
                f"resend offered: {member.email} already has a pending invitation; "
                "resend it from the console or the API"
            )
        self.stdout.write(
            f"{len(result.invited)} invited, {len(result.skipped)} skipped, "
            f"{len(result.resend_offered)} already invited"
        )
