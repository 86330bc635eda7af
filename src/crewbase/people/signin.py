"""What signing in, failing to, signing out and resetting a password write (ACT-1, AUTH-3, LIFE-2).

Connected to allauth's and Django's signals in PeopleConfig.ready(); the adapter calls
`record_failed_sign_in` and `may_sign_in` directly.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.signals import password_changed, password_reset, user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver

from crewbase.audit.record import record
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.request_info import client_ip
from crewbase.people.models import Member, MemberStatus, Person, normalize_email
from crewbase.people.sessions import SESSION_ACCOUNT_KEY, end_sessions
from crewbase.signin.memberships import active_memberships, sign_in_memberships


def may_sign_in(person: Person, memberships: list[Member] | None = None) -> bool:
    """Active somewhere, or registered and holding a pending invitation it must sign in to
    accept (INV-5). A person deactivated in every account is refused (LIFE-2).

    `memberships`: the person's active and invited ones, already read (signin.memberships)."""
    if memberships is not None:
        statuses = {m.status for m in memberships}
        if MemberStatus.ACTIVE in statuses:
            return True
        return person.is_registered and MemberStatus.INVITED in statuses
    memberships = Member.objects.filter(person=person)
    if memberships.filter(status=MemberStatus.ACTIVE).exists():
        return True
    return person.is_registered and memberships.filter(status=MemberStatus.INVITED).exists()


def request_actor(member: Member, request) -> Actor:
    ip = client_ip(request) if request is not None else None
    agent = request.META.get("HTTP_USER_AGENT", "")[:400] if request is not None else ""
    return Actor.for_member(member, ip_address=ip, user_agent=agent)


def _memberships(person: Person, statuses=None):
    members = Member.objects.select_related("account", "role", "person").filter(person=person)
    if statuses is not None:
        members = members.filter(status__in=statuses)
    return members.order_by("account_id")


def session_member(request, person: Person) -> Member | None:
    """The active membership this session works in: the one it chose, else the first."""
    active = active_memberships(sign_in_memberships(request, person))
    chosen = request.session.get(SESSION_ACCOUNT_KEY) if request is not None else None
    if chosen is not None:
        for member in active:
            if member.account_id == chosen:
                return member
    return active[0] if active else None


def ensure_own_email_address(person: Person) -> None:
    """The person's one email as allauth's verified primary address: it arrived through an
    emailed link, and with ACCOUNT_MAX_EMAIL_ADDRESSES = 1 no other address can be added, so
    the email a person signs in with never changes (LIFE-5). allauth's TOTP also needs it."""
    address, _ = EmailAddress.objects.get_or_create(
        user=person, email=person.email, defaults={"primary": True, "verified": True}
    )
    if not (address.primary and address.verified):
        EmailAddress.objects.filter(pk=address.pk).update(primary=True, verified=True)


@receiver(user_logged_in, dispatch_uid="crewbase_signed_in")
def on_signed_in(sender, request, user, **kwargs) -> None:
    # Inside the sign-in's transaction (people/login_form.py) no savepoint is needed: if
    # this fails, the whole sign-in does.
    with transaction.atomic(savepoint=False):
        ensure_own_email_address(user)
        member = session_member(request, user)
        if member is None:
            # Signed in only to accept a pending invitation; member.joined records that.
            return
        now = clock.now()
        # update(): a sign-in is not a profile edit, so updated_at stays as it was.
        Member.objects.filter(pk=member.pk).update(last_sign_in_at=now)
        request.session[SESSION_ACCOUNT_KEY] = member.account_id
        record(request_actor(member, request), "auth.signed_in", member)


def record_failed_sign_in(request, email: str, *, reason: str = "wrong_credentials") -> None:
    """Into every account the person belongs to; nothing at all for an unknown email, and
    nothing in the response differs either way (AUTH-2)."""
    person = Person.objects.filter(email=normalize_email(email or "")).first()
    if person is None:
        return
    with transaction.atomic():
        for member in _memberships(person):
            record(
                request_actor(member, request),
                "auth.sign_in_failed",
                member,
                after={"reason": reason},
            )


@receiver(user_logged_out, dispatch_uid="crewbase_signed_out")
def on_signed_out(sender, request, user, **kwargs) -> None:
    if user is None or request is None or not hasattr(request, "session"):
        return
    account_id = request.session.get(SESSION_ACCOUNT_KEY)
    if account_id is None:
        return
    member = _memberships(user).filter(account_id=account_id).first()
    if member is None:
        return
    with transaction.atomic():
        record(request_actor(member, request), "auth.signed_out", member)


@receiver(password_reset, dispatch_uid="crewbase_password_reset")
@receiver(password_changed, dispatch_uid="crewbase_password_changed")
def on_password_changed(sender, request, user, **kwargs) -> None:
    """A new password ends every other session of the person (AUTH-3) and is recorded in each
    account the person has joined."""
    how = "reset link" if kwargs.get("signal") is password_reset else "changed when signed in"
    keep = ""
    signed_in = getattr(request, "user", None)
    if signed_in is not None and signed_in.is_authenticated and signed_in.pk == user.pk:
        keep = request.session.session_key or ""  # the session that changed it stays
    with transaction.atomic():
        if not user.is_registered:
            # A new owner's set-password link (password_setup_link) completes registration.
            Person.objects.filter(pk=user.pk).update(is_registered=True)
            user.is_registered = True
        ensure_own_email_address(user)
        ended = end_sessions(user, keep_session_key=keep)
        for member in _memberships(user, [MemberStatus.ACTIVE, MemberStatus.DEACTIVATED]):
            record(
                request_actor(member, request),
                "auth.password_changed",
                member,
                after={"how": how, "other_sessions_ended": ended},
            )
