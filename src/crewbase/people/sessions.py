"""Ending sessions: server-side rows, so ending one takes effect on every app process (AUTH-7)."""

from importlib import import_module

from django.conf import settings

SESSION_ACCOUNT_KEY = "crewbase_account_id"


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def end_sessions(person, *, account_id: int | None = None, keep_session_key: str = "") -> int:
    """End the person's sessions: all of them, or only those working in `account_id`.

    Returns how many were ended. A session that has not chosen an account yet is ended too
    when an account is given, since it could choose that account next.
    """
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user_id=person.pk):
        if user_session.session_key == keep_session_key:
            continue
        store = _store(user_session.session_key)
        if account_id is not None:
            chosen = store.load().get(SESSION_ACCOUNT_KEY)
            if chosen is not None and int(chosen) != account_id:
                continue
        store.delete(user_session.session_key)
        user_session.delete()
        ended += 1
    return ended
