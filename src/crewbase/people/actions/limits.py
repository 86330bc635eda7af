"""Plan limits checked under the account lock (PLAN-1, PLAN-2, PLAN-3).

Every action that can add a user or an agent seat first locks the account row, so two admins
acting at once are serialised and the counts below cannot go stale before the write.
"""

from django.db import connection
from django.utils.translation import gettext as _

from crewbase.accounts.models import Account
from crewbase.core.errors import Conflict, NotFound
from crewbase.people.models import Member, MemberCounts


def lock_account(account: Account) -> Account:
    # FOR NO KEY UPDATE on PostgreSQL: it still queues every other locker of the account, but
    # lets other transactions insert rows that point at the account (their foreign-key check
    # takes FOR KEY SHARE). A plain FOR UPDATE blocks those inserts, which deadlocks against an
    # action that locked a member first and then writes its activity event.
    no_key = connection.features.has_select_for_no_key_update
    return Account.objects.select_for_update(no_key=no_key).get(pk=account.pk)


def lock_member(member: Member) -> Member:
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("role", "person", "account")
        .filter(pk=member.pk)
        .first()
    )
    if locked is None:
        # Deleted (or its invitation cancelled) by a concurrent request since it was loaded.
        raise NotFound(
            _("%(email)s is no longer a member of this account.") % {"email": member.email}
        )
    return locked


def _counts(account: Account) -> MemberCounts:
    # Kept by triggers in the writer's transaction: exact, and current within this one.
    counts = MemberCounts.objects.filter(account=account).first()
    return counts or MemberCounts(account=account)  # no member was ever added


def users_counted(account: Account) -> int:
    return _counts(account).users_counted


def agent_seats_used(account: Account) -> int:
    return _counts(account).agent_seats_used


def user_slots_left(account: Account) -> int | None:
    if account.user_limit is None:
        return None
    return max(account.user_limit - users_counted(account), 0)


def agent_seats_left(account: Account) -> int:
    return max(account.agent_seat_total - agent_seats_used(account), 0)


def no_seat_message(account: Account) -> str:
    used = agent_seats_used(account)
    return _("no agent seat left (%(used)s of %(total)s used)") % {
        "used": used,
        "total": account.agent_seat_total,
    }


def require_agent_seat(account: Account) -> None:
    if agent_seats_left(account) < 1:
        raise Conflict(no_seat_message(account), errors={"agent_access": no_seat_message(account)})


def require_user_slot(account: Account, needed: int = 1) -> None:
    left = user_slots_left(account)
    if left is not None and left < needed:
        message = _(
            "the plan's user limit would be exceeded "
            "(%(used)s of %(limit)s users used, %(needed)s more needed)"
        ) % {"used": users_counted(account), "limit": account.user_limit, "needed": needed}
        raise Conflict(message, errors={"user_limit": message})
