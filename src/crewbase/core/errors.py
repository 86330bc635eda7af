"""Domain errors: every interface maps these the same way (console message, API status)."""


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

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
        if message is None:
            message = "; ".join(f"{field}: {reason}" for field, reason in errors.items())
        super().__init__(message, errors=errors)
