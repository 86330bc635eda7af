"""The /api/v1 routes of this area: your own sessions (AUTH-7), a member's login history (ACT-4)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from crewbase.api import lookups
from crewbase.api.schemas import Error, Input, Text
from crewbase.core.errors import PermissionDenied
from crewbase.signin import history, preference_actions, sessions

router = Router(tags=["signin"])
ERRORS = {code: Error for code in (400, 401, 403, 404, 422)}


class SessionOut(Schema):
    id: int
    device: str
    user_agent: str
    ip_address: str | None
    started_at: datetime
    last_active_at: datetime
    current: bool


def _current_key(request) -> str | None:
    # Only a session-authenticated call has a "current" session; a token call has none.
    if getattr(request.auth, "kind", "") != "member":
        return None
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


@router.get("/me/sessions", response={200: list[SessionOut], **ERRORS})
def list_sessions(request):
    """Where you are signed in: device (from the user agent), address, last active."""
    return sessions.own_sessions(request.auth, current_key=_current_key(request))


@router.delete("/me/sessions/{int:session_id}", response={204: None, **ERRORS})
def end_session(request, session_id: int):
    """Ends one of your sessions at once, on every app process (ending the current one signs
    this client out). API tokens are listed and revoked at /api-tokens."""
    sessions.end_own_session(actor=request.auth, session_id=session_id)
    return Status(204, None)


class PlaceOut(Schema):
    label: str
    sign_ins: int
    last_at: datetime


class AttemptOut(Schema):
    at: datetime
    outcome: str
    reason: str
    address: str | None
    device: str


class LoginHistoryOut(Schema):
    member_id: int
    last_sign_in_at: datetime | None
    period_days: int
    sign_ins: int
    failed_attempts: int
    lockouts: int
    days_signed_in: int
    addresses: list[PlaceOut]
    devices: list[PlaceOut]
    recent: list[AttemptOut]


@router.get("/members/{int:member_id}/login-history", response={200: LoginHistoryOut, **ERRORS})
def login_history(request, member_id: int):
    """Last sign-in, sign-ins, failed attempts and lockouts over 30 days, addresses, devices.
    Anyone sees their own; someone else's needs audit.view."""
    member = lookups.member(request.auth, member_id)
    return history.login_history(request.auth, member)


class PreferencesOut(Schema):
    theme: str
    time_zone: str
    language: str | None
    notifications: dict[str, bool]
    signature: str
    avatar_url: str | None


class PreferencesIn(Input):
    theme: Text(16) | None = Field(None, description="light, dark or system")
    time_zone: Text(64) | None = Field(None, description="e.g. Europe/Paris")
    language: Text(16) | None = Field(None, description="e.g. en, id")
    notifications: dict[Text(64), bool] | None = Field(
        None,
        description="Topic → email me or not: " + ", ".join(preference_actions.NOTIFICATION_TOPICS),
    )
    signature: Text(preference_actions.SIGNATURE_MAX) | None = None


def _preferences(actor) -> dict:
    if actor.member is None:
        raise PermissionDenied(gettext("Only a member has personal settings."))
    person = actor.member.person
    person.refresh_from_db(fields=["preferences", "avatar"])
    chosen = person.preferences or {}
    return {
        "theme": chosen.get("theme", "system"),
        "time_zone": chosen.get("time_zone") or actor.account.time_zone,
        "language": chosen.get("language"),
        "notifications": preference_actions.notification_choices(person),
        "signature": preference_actions.signature_of(person),
        "avatar_url": "/" + person.avatar if person.avatar else None,
    }


@router.get("/me/preferences", response={200: PreferencesOut, **ERRORS})
def get_preferences(request):
    """Your personal settings (SELF-1); a host helpdesk reads the signature and notification
    choices here."""
    return _preferences(request.auth)


@router.patch("/me/preferences", response={200: PreferencesOut, **ERRORS})
def update_preferences(request, payload: PreferencesIn):
    """Change any of them; all or nothing."""
    changes = payload.dict(exclude_unset=True)
    preference_actions.update_personal_settings(actor=request.auth, changes=changes)
    return _preferences(request.auth)
