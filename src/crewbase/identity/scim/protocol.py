"""The HTTP side of SCIM: bearer authentication, SCIM error bodies, JSON in and out.

Every refusal is a SCIM Error body (RFC 7644 §3.12) with status, scimType where one fits, and
a detail naming the attribute and the reason; no input produces a server error (FAIL-2).
"""

from __future__ import annotations

import functools
import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import Error, SCIMException

from crewbase.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from crewbase.core.request_info import client_ip
from crewbase.identity.scim.actions.tokens import actor_for_scim_token
from crewbase.identity.scim.filters import InvalidFilter

CONTENT_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
logger = logging.getLogger("crewbase.scim")

# Refusals of the actions that mean "this attribute cannot take this value now".
UNIQUE_FIELDS = {"userName", "displayName", "emails"}


class ScimProblem(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def respond(body: dict | None, status: int = 200, *, headers: dict | None = None):
    if body is None:
        response = HttpResponse(status=status)
    else:
        response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def error(status: int, detail: str, scim_type: str | None = None):
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    headers = {"WWW-Authenticate": 'Bearer realm="SCIM"'} if status == 401 else None
    return respond(body, status, headers=headers)


def _from_domain_error(exc: DomainError):
    detail = exc.message
    if isinstance(exc, NotFound):
        return error(404, detail or "Not found.")
    if isinstance(exc, PermissionDenied):
        return error(403, detail)
    if isinstance(exc, Conflict):
        if UNIQUE_FIELDS & set(exc.errors):
            return error(409, detail, "uniqueness")
        if "active" in exc.errors or "member" in exc.errors:
            return error(400, detail, "mutability")
        # Plan limits (user limit, agent seats): the value cannot be taken now.
        return error(400, detail, "invalidValue")
    return error(400, detail, "invalidValue")


def _from_scim_error(scim_error: Error):
    return error(int(scim_error.status or 400), scim_error.detail or "", scim_error.scim_type)


def handle_errors(view):
    """Maps every refusal to a SCIM error body.

    SCIM speaks to identity providers, not people: its details stay English whatever
    Accept-Language says, though the actions it shares with the console translate theirs."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("en"):
            return _answer(view, request, *args, **kwargs)

    return wrapped


def _answer(view, request, *args, **kwargs):
    try:
        return view(request, *args, **kwargs)
    except ScimProblem as exc:
        return error(exc.status, exc.detail, exc.scim_type)
    except InvalidFilter as exc:
        return error(400, str(exc), "invalidFilter")
    except DomainError as exc:
        return _from_domain_error(exc)
    except SCIMException as exc:
        return _from_scim_error(exc.to_error())
    except ValidationError as exc:
        errors = Error.from_validation_errors(exc)
        return _from_scim_error(errors[0]) if errors else error(400, str(exc), "invalidValue")
    except RequestDataTooBig:
        return error(413, "The request body is too large.")
    except IntegrityError:
        return error(409, "Another change got there first; nothing was applied.", "uniqueness")
    except Exception:
        # A bug of ours: the trace goes to the log, the client gets a SCIM body.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return error(500, "Something went wrong on our side; it has been logged.")


def authenticated(view):
    """Bearer token of one account; the view receives the SCIM actor of that account."""

    @csrf_exempt
    @handle_errors
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        actor = None
        if scheme.lower() == "bearer":
            actor = actor_for_scim_token(
                secret.strip(),
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
            )
        if actor is None:
            return error(401, "Send the account's SCIM token: Authorization: Bearer <token>.")
        return view(request, actor, *args, **kwargs)

    return wrapped


def read_json(request) -> dict:
    try:
        payload = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ScimProblem(400, "The request body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(payload, dict):
        raise ScimProblem(400, "The request body must be a JSON object.", "invalidSyntax")
    if _has_nul(payload):
        # No database stores U+0000 in text; refuse it here rather than fail on write.
        raise ScimProblem(400, "Text must not contain the NUL character (U+0000).", "invalidValue")
    return payload


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def base_url(request) -> str:
    return request.build_absolute_uri("/scim/v2")


def check_if_match(request, resource: dict) -> None:
    """If-Match (RFC 7644 §3.14): refuse to change a resource someone changed meanwhile."""
    wanted = request.headers.get("If-Match")
    if not wanted or wanted.strip() == "*":
        return
    current = resource["meta"]["version"]
    tags = {tag.strip() for tag in wanted.split(",")}
    if current not in tags and current.removeprefix("W/") not in tags:
        raise ScimProblem(412, "The resource changed since that version was read; read it again.")


def method_not_allowed(allowed: str):
    response = error(405, f"Only {allowed} is allowed here.")
    response["Allow"] = allowed
    return response
