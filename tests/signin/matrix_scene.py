"""The "$name" values and setups this area's rows in tests/authz/matrix.d/signin.yaml use."""

from allauth.usersessions.models import UserSession

from crewbase.signin.session_store import SessionStore

SETUPS: dict = {}


def scene_values(account, owner) -> dict:
    # A real server-side session of the owner, as a sign-in from a phone leaves it.
    store = SessionStore()
    store.create()
    session = UserSession.objects.create(
        user=owner.person,
        session_key=store.session_key,
        ip="203.0.113.9",
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1",
    )
    return {"owner_session": session.pk}
