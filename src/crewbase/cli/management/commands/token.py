"""`crewbase token create`: an API token for a member, printed once (API-2)."""

from crewbase.api.actions import create_api_token
from crewbase.cli.base import CrewbaseCommand
from crewbase.cli.durations import parse_expiry
from crewbase.cli.lookup import CLI_USER_AGENT, add_account_argument, find_account, find_member
from crewbase.core import clock
from crewbase.core.actor import Actor


class Command(CrewbaseCommand):
    help = "Manage API tokens. `crewbase token create --help` for the options."
    option_for_field = {"name": "--name", "scopes": "--scopes", "expires_at": "--expires"}

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = actions.add_parser(
            "create",
            help="create a token that acts as a member, narrowed to scopes",
            description=(
                "Create an API token acting as the member EMAIL with the given scopes (a subset "
                "of that member's permissions). The token alone is printed on stdout, once; "
                "details go to stderr."
            ),
        )
        add_account_argument(create)
        create.add_argument("--email", required=True, help="the member the token acts as")
        create.add_argument(
            "--scopes",
            required=True,
            metavar="PERM,PERM",
            help="comma-separated permission keys, e.g. users.view,users.invite",
        )
        create.add_argument(
            "--expires",
            required=True,
            metavar="30d|12h|YYYY-MM-DD",
            help="lifetime in days or hours, or the date (UTC) it stops working",
        )
        create.add_argument("--name", default="", help="a label (default: 'CLI token <date>')")

    def handle(self, *args, **options):
        account = find_account(options["account"])
        member = find_member(account, options["email"], option="--email")
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        expires_at = parse_expiry(options["expires"])
        name = options["name"].strip() or f"CLI token {clock.now():%Y-%m-%d}"
        token, secret = create_api_token(
            actor=Actor.for_member(member, user_agent=CLI_USER_AGENT),
            name=name,
            scopes=scopes,
            expires_at=expires_at,
        )
        self.progress(
            f"Token {token.name!r} ({token.prefix}…) for {member.email} in account {account.pk}; "
            f"scopes: {', '.join(token.scopes)}; expires {token.expires_at:%Y-%m-%d %H:%M} UTC."
        )
        self.progress(
            "Store it now: it is shown only this once. Send it as 'Authorization: Bearer <token>'."
        )
        self.stdout.write(secret)
