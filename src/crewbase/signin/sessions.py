"""A person's own sessions: list them and end any one (AUTH-7).

allauth.usersessions keeps one row per server-side session (address, user agent, last seen,
refreshed by its middleware); this lists a person's rows with the device in words and ends one
through allauth's own `end()` (the session row goes, so every app process refuses it next).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from crewbase.audit.record import record
from crewbase.core.actor import Actor
from crewbase.core.errors import NotFound, PermissionDenied
from crewbase.signin.devices import describe

MAX_LISTED = 200


@dataclass
class SessionView:
    id: int
    device: str
    user_agent: str
    ip_address: str | None
    started_at: datetime
    last_active_at: datetime
    current: bool


def _logged_device(row: UserSession) -> str:
    with translation.override("en"):  # the activity log keeps one language for every reader
        return describe(row.user_agent)


def _person_id(actor: Actor) -> int:
    if actor.member is None:
        raise PermissionDenied(gettext("Only a signed-in member has sessions."))
    return actor.member.person_id


def own_sessions(actor: Actor, *, current_key: str | None = None) -> list[SessionView]:
    """Newest activity first; sessions that expired or were signed out are dropped first."""
    rows = UserSession.objects.filter(user_id=_person_id(actor)).order_by("-last_seen_at", "-id")
    views = []
    for row in rows[:MAX_LISTED]:
        if row.purge():  # its Django session is gone (expired, signed out): not a way in
            continue
        views.append(
            SessionView(
                id=row.pk,
                device=describe(row.user_agent),
                user_agent=row.user_agent,
                ip_address=row.ip,
                started_at=row.created_at,
                last_active_at=row.last_seen_at,
                current=bool(current_key) and row.session_key == current_key,
            )
        )
    return views


def end_own_session(*, actor: Actor, session_id: int) -> None:
    """End one of your own sessions, on every device and app process at once."""
    person_id = _person_id(actor)
    with transaction.atomic():
        row = (
            UserSession.objects.select_for_update().filter(user_id=person_id, pk=session_id).first()
            if isinstance(session_id, int) and 0 < session_id < 2**63
            else None
        )
        if row is None:
            raise NotFound(gettext("No session with id %(id)s is yours.") % {"id": session_id})
        record(
            actor,
            "auth.session_ended",
            actor.member,
            after={"session": row.pk, "device": _logged_device(row), "address": row.ip},
        )
        row.end()
