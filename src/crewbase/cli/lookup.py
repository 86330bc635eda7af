"""Finding the account and the acting member named on the command line.

Commands act through the actions layer as a member, so the activity log shows who did it:
`--as EMAIL` names that member, and the account's owner acts when it is left out.
"""

from __future__ import annotations

from crewbase.access.models import Role
from crewbase.accounts.models import Account
from crewbase.cli.base import bad_input
from crewbase.core.actor import Actor
from crewbase.people.models import Member, MemberStatus, normalize_email

CLI_USER_AGENT = "crewbase-cli"


def add_account_argument(parser) -> None:
    parser.add_argument("--account", required=True, metavar="ID", help="the account's id")


def add_actor_argument(parser) -> None:
    parser.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        help="the active member of the account who acts (default: the account's owner)",
    )


def find_account(account_id) -> Account:
    try:
        return Account.objects.get(pk=int(str(account_id).strip()))
    except (ValueError, Account.DoesNotExist):
        raise bad_input(f"--account: no account with id {account_id!r}") from None


def find_member(account: Account, email: str, option: str = "--as") -> Member:
    member = (
        Member.objects.select_related("role", "account", "person")
        .filter(account=account, email=normalize_email(email))
        .first()
    )
    if member is None:
        raise bad_input(f"{option}: {email} is not a member of account {account.pk}")
    if member.status != MemberStatus.ACTIVE:
        raise bad_input(f"{option}: {email} is {member.get_status_display().lower()}, not active")
    return member


def acting_member(account: Account, as_email: str | None) -> Member:
    if as_email:
        return find_member(account, as_email)
    owner = (
        Member.objects.select_related("role", "account", "person")
        .filter(account=account, is_owner=True)
        .first()
    )
    if owner is None:
        raise bad_input(f"account {account.pk} has no owner; name the acting member with --as")
    return owner


def actor_from_options(options) -> Actor:
    account = find_account(options["account"])
    member = acting_member(account, options.get("as_email"))
    return Actor.for_member(member, user_agent=CLI_USER_AGENT)


def find_role(account: Account, name_or_id: str) -> Role:
    """A role usable in the account, by id or by name (case-insensitive)."""
    roles = Role.objects.for_account(account)
    text = str(name_or_id).strip()
    if text.isdigit():
        role = roles.filter(pk=int(text)).first()
        if role is not None:
            return role
    matches = list(roles.filter(name__iexact=text))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise bad_input(f"--role: {text!r} names several roles; give the role's id instead")
    names = ", ".join(roles.order_by("id").values_list("name", flat=True))
    raise bad_input(f"--role: no role {text!r} in account {account.pk} (roles: {names})")
