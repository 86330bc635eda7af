"""allauth.usersessions' record of a new sign-in, without its look-up of a row that cannot exist.

allauth's own receiver lists the person's sessions (dropping ended ones) through a
server-side cursor, then runs get_or_create on the session key: a query, two savepoints and
the insert. When the sign-in
has just chosen a new key whose row is not written yet (signin.session_store), no tracked
session can have that key, so the row is simply inserted (issue 6). Any other case, such as
signing in again inside a session that keeps its key, goes through allauth's code unchanged.
"""

from allauth.account.adapter import get_adapter
from allauth.usersessions import signals as allauth_signals
from allauth.usersessions.models import UserSession


def _purge_ended(person) -> None:
    # allauth's purge_and_list, read as one list: its iterator() opens a server-side cursor
    # on PostgreSQL (three round trips) for what is a handful of rows.
    for user_session in list(UserSession.objects.filter(user_id=person.pk)):
        user_session.purge()


def on_user_logged_in(sender, request, **kwargs) -> None:
    _purge_ended(request.user)
    if not getattr(request.session, "row_pending", False):
        UserSession.objects.create_from_request(request)
        return
    agent_length = UserSession._meta.get_field("user_agent").max_length
    UserSession.objects.create(
        user=request.user,
        session_key=request.session.session_key,
        ip=get_adapter().get_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:agent_length],
    )


def replace_allauth_receiver() -> None:
    from allauth.account.signals import user_logged_in

    user_logged_in.disconnect(receiver=allauth_signals.on_user_logged_in)
    user_logged_in.connect(on_user_logged_in, dispatch_uid="crewbase_track_session")
