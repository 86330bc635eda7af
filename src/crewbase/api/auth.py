"""Who is calling the API: a bearer token or the signed-in session (API-2).

Both build an Actor fresh on every request from the database, so a role change, a
deactivation or a revoked token applies on the very next call (ROLE-4, LIFE-2).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from crewbase.api.models import ApiToken
from crewbase.core import clock
from crewbase.core.actor import Actor
from crewbase.core.middleware import actor_for_request
from crewbase.core.request_info import client_ip
from crewbase.core.tokens import hash_secret
from crewbase.people.models import MemberStatus

# Writing last_used_at on every call would turn each read into a write; once a minute is
# precise enough for "last used" and for spotting unused tokens.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfFailed(HttpError):
    code = "csrf_failed"

    def __init__(self):
        super().__init__(
            403, "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie."
        )


def _note_use(token: ApiToken) -> None:
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # A conditional UPDATE: concurrent requests write at most once per minute between them.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)


def actor_for_token(secret: str, *, ip_address=None, user_agent="") -> Actor | None:
    """The actor a token stands for, or None if it is unknown, revoked, expired or orphaned."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("member", "member__role", "member__account", "member__person")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if token is None:
        return None
    member = token.member
    if member.status != MemberStatus.ACTIVE or member.account_id != token.account_id:
        return None
    _note_use(token)
    return Actor(
        kind="api_token",
        account=member.account,
        member=member,
        token_id=token.pk,
        scopes=frozenset(token.scopes),
        ip_address=ip_address,
        user_agent=user_agent,
    )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. No CSRF: a browser never sends this header by itself."""

    def __call__(self, request):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError(401, "Use 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        actor = actor_for_token(
            token,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
        )
        if actor is None:
            # A bad token never falls back to the session: the caller meant to use the token.
            raise AuthenticationError(401, "The API token is unknown, revoked or expired.")
        request.actor = actor
        return actor


class SessionAuth(APIKeyCookie):
    """The signed-in person's session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.authenticate(request, None)

    def authenticate(self, request, key):
        actor = actor_for_request(request)
        if actor is None:
            return None
        _require_csrf(request)
        return actor


def _require_csrf(request) -> None:
    if request.method not in UNSAFE_METHODS:
        return
    # Django's CSRF check reads request.POST, which for a form-encoded or multipart body would
    # consume the stream the JSON parser needs next; reading the body first caches it (and
    # enforces the upload size limit).
    request.body  # noqa: B018
    if check_csrf(request) is not None:
        raise CsrfFailed()


def require_csrf_if_signed_in(request) -> None:
    """For endpoints open to anonymous callers that still act for a signed-in person."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        _require_csrf(request)


token_auth = TokenAuth()
session_auth = SessionAuth()
API_AUTH = [token_auth, session_auth]
