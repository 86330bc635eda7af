"""`crewbase create-account`: a new account and its owner, with a link to set a password."""

from django.conf import settings

from crewbase.accounts.actions import create_account
from crewbase.accounts.models import Plan
from crewbase.cli.base import CrewbaseCommand


class Command(CrewbaseCommand):
    help = (
        "Create an account and its owner (who is also its billing contact), then print the "
        "account id and a one-time link where the owner sets a password."
    )
    option_for_field = {
        "name": "--name",
        "owner_email": "--owner-email",
        "plan": "--plan",
        "user_limit": "--user-limit",
        "paid_agent_seats": "--agent-seats",
    }

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the account's name")
        parser.add_argument("--owner-email", required=True, metavar="EMAIL")
        parser.add_argument("--owner-first-name", default="", metavar="NAME")
        parser.add_argument("--owner-last-name", default="", metavar="NAME")
        parser.add_argument("--plan", default=Plan.TEAM, choices=Plan.values)
        parser.add_argument(
            "--user-limit",
            type=int,
            default=None,
            metavar="N",
            help="most invited + active members (default: unlimited)",
        )
        parser.add_argument(
            "--agent-seats",
            type=int,
            default=0,
            metavar="N",
            help="paid agent seats; every plan also includes one free seat (default: 0)",
        )

    def handle(self, *args, **options):
        # Imported here: the link comes from the password-reset machinery, which loads allauth.
        from crewbase.people.actions.passwords import password_setup_link

        new = create_account(
            name=options["name"],
            owner_email=options["owner_email"],
            owner_first_name=options["owner_first_name"].strip(),
            owner_last_name=options["owner_last_name"].strip(),
            plan=options["plan"],
            user_limit=options["user_limit"],
            paid_agent_seats=options["agent_seats"],
        )
        account, owner = new.account, new.owner
        limit = "unlimited" if account.user_limit is None else str(account.user_limit)
        self.stdout.write(f"account id: {account.pk}")
        self.stdout.write(f"account name: {account.name}")
        self.stdout.write(
            f"plan: {account.plan}, user limit: {limit}, "
            f"agent seats: {account.agent_seat_total} (1 free + {account.paid_agent_seats} paid)"
        )
        self.stdout.write(f"owner: {owner.email}")
        if owner.person.is_registered:
            # The person already has a password from another account: nothing to set up.
            self.stdout.write(
                f"The owner already has a password; sign in at "
                f"{settings.CREWBASE_BASE_URL}{settings.LOGIN_URL}"
            )
        else:
            self.stdout.write(f"set-password link (one-time): {password_setup_link(owner.person)}")
