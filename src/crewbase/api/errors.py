"""One JSON error shape for every refusal (FAIL-1), and no stack trace for any input (FAIL-2).

Body: {"error": code, "message": text, "errors": {field: reason}}.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.http.request import RawPostDataException
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext
from ninja.errors import AuthenticationError, HttpError, ValidationError

from crewbase.core.errors import DomainError

logger = logging.getLogger("crewbase.api")

CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "too_many_requests",
}

# pydantic's wording is precise but sometimes reads like a stack frame; these read better.
PLAIN_REASONS = {
    "missing": gettext_lazy("is required"),
    "extra_forbidden": gettext_lazy("is not a known field"),
    "string_type": gettext_lazy("must be text"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "bool_type": gettext_lazy("must be true or false"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "list_type": gettext_lazy("must be a list"),
    "dict_type": gettext_lazy("must be a JSON object"),
    "model_type": gettext_lazy("must be a JSON object"),
    "model_attributes_type": gettext_lazy("must be a JSON object"),
    "datetime_type": gettext_lazy("must be a date and time (ISO 8601)"),
    "datetime_parsing": gettext_lazy("must be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": gettext_lazy("must be a date and time (ISO 8601)"),
}


def error_body(status: int, message: str, errors: dict | None = None, code: str | None = None):
    # Messages may be lazy translations: the body holds plain text, in the active language.
    body = {"error": code or CODES_BY_STATUS.get(status, "error"), "message": str(message)}
    body["errors"] = {
        field: str(reason) if isinstance(reason, Promise) else reason
        for field, reason in (errors or {}).items()
    }
    return JsonResponse(body, status=status)


def field_name(loc) -> str:
    """'body.role_id', 'query.limit', 'path.member_id' from ninja's error location.

    ninja puts the view's parameter name after "body" (('body', 'payload', 'role_id'));
    callers never see that name, so it is dropped.
    """
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) >= 2:
        parts = ["body", *parts[2:]]
    return ".".join(parts)


SHOULD = re.compile(r"^(Input|String|List|Value|Dictionary|Decimal) should ")


def _bounded_reason(kind: str, ctx: dict) -> str | None:
    """pydantic's limits in our words, translated (the same English as its own, reworded)."""
    if kind == "string_too_long" and "max_length" in ctx:
        limit = ctx["max_length"]
        return ngettext(
            "must have at most %(limit)s character", "must have at most %(limit)s characters", limit
        ) % {"limit": limit}
    if kind == "string_too_short" and "min_length" in ctx:
        limit = ctx["min_length"]
        return ngettext(
            "must have at least %(limit)s character",
            "must have at least %(limit)s characters",
            limit,
        ) % {"limit": limit}
    if kind == "greater_than_equal" and "ge" in ctx:
        return gettext("must be greater than or equal to %(limit)s") % {"limit": ctx["ge"]}
    if kind == "less_than_equal" and "le" in ctx:
        return gettext("must be less than or equal to %(limit)s") % {"limit": ctx["le"]}
    return None


def plain_reason(error: dict) -> str:
    kind = error.get("type", "")
    if kind in PLAIN_REASONS:
        return str(PLAIN_REASONS[kind])
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected")
        if expected is None:
            return gettext("must be one of the listed values")
        return gettext("must be one of %(choices)s") % {"choices": expected}
    bounded = _bounded_reason(kind, error.get("ctx", {}))
    if bounded is not None:
        return bounded
    message = str(error.get("msg", "is not valid"))
    # "Value error, must be …" comes from our own validators: keep only our words.
    message = message.removeprefix("Value error, ")
    message = SHOULD.sub("must ", message)
    return message[:1].lower() + message[1:]


def on_validation_error(request, exc: ValidationError):
    errors: dict[str, str] = {}
    for error in exc.errors:
        name = field_name(error.get("loc", ()))
        errors.setdefault(name, plain_reason(error))
    message = gettext("Invalid request: %(problems)s") % {
        "problems": "; ".join(f"{k}: {v}" for k, v in errors.items())
    }
    return error_body(422, message, errors)


def on_domain_error(request, exc: DomainError):
    return error_body(exc.status, exc.message, exc.errors, exc.code)


def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, DomainError):
        # Raised by our body parser (bad text in the JSON), wrapped by ninja as a 400.
        return on_domain_error(request, cause)
    if isinstance(cause, UnicodeDecodeError):
        return error_body(
            400, gettext("The request body is not valid UTF-8."), {"body": gettext("not UTF-8")}
        )
    if exc.status_code == 400 and cause is not None:
        return error_body(
            400, gettext("The request body is not valid JSON."), {"body": gettext("not valid JSON")}
        )
    if getattr(exc, "code", None):
        return error_body(exc.status_code, str(exc), {}, exc.code)
    if isinstance(exc, AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else None
        return error_body(
            401, message or gettext("Sign in, or send 'Authorization: Bearer <API token>'."), {}
        )
    return error_body(exc.status_code, str(exc))


def on_too_big(request, exc):
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_body(
        413,
        gettext("The request body is too large (the limit is %(limit)s MB).") % {"limit": limit_mb},
        {"body": gettext("too large")},
    )


def on_not_found(request, exc):
    return error_body(404, gettext("Not found."))


def on_bad_request(request, exc):
    return error_body(400, gettext("The request could not be read."), {"body": str(exc)[:200]})


def on_integrity_error(request, exc: IntegrityError):
    # Two requests raced past an action's checks and the database's constraint caught the
    # second (e.g. two admins creating the same role name at once): nothing was applied.
    logger.warning("Integrity error in %s %s: %s", request.method, request.path, exc)
    return error_body(
        409,
        gettext("Another change got there first; nothing was applied. Reload and try again."),
    )


def on_unexpected(request, exc: Exception):
    # A real bug: keep the trace in the log, never in the response.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return error_body(
        500,
        gettext("Something went wrong on our side; it has been logged."),
        {},
        "server_error",
    )


def install(api) -> None:
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(TooManyFieldsSent, on_bad_request)
    api.add_exception_handler(SuspiciousOperation, on_bad_request)
    api.add_exception_handler(RawPostDataException, on_bad_request)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(IntegrityError, on_integrity_error)
    api.add_exception_handler(Exception, on_unexpected)
