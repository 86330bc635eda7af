"""Domain errors: every interface maps these the same way (console message, API status).

Messages and reasons are translated where they are raised (gettext, in the language active for
the request); lazy ones are turned into plain text here, so JSON bodies, CSV rows and stored
bulk outcomes always hold a str.
"""

from django.utils.functional import Promise


def _plain(value):
    return str(value) if isinstance(value, Promise) else value


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None):
        message = _plain(message)
        super().__init__(message)
        self.message = message
        self.errors = {field: _plain(reason) for field, reason in (errors or {}).items()}

    def as_dict(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class ValidationFailed(DomainError):
    """A field-by-field refusal: `errors` maps each field (or email, or row) to its reason."""

    status = 422
    code = "validation_failed"

    def __init__(self, errors: dict[str, str], message: str | None = None):
        errors = {field: _plain(reason) for field, reason in errors.items()}
        if message is None:
            message = "; ".join(f"{field}: {reason}" for field, reason in errors.items())
        super().__init__(message, errors=errors)
