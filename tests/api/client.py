"""A JSON client for /api/v1 over Django's test client, with CSRF enforced as in production."""

from __future__ import annotations

import json

from django.test import Client

BASE = "/api/v1"


class ApiClient:
    """Signed in as `person` (session + CSRF token), or carrying a bearer `token`, or neither."""

    def __init__(self, *, person=None, token: str | None = None, send_csrf: bool = True):
        self.client = Client(enforce_csrf_checks=True)
        self.headers: dict[str, str] = {}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if person is not None:
            self.client.force_login(person)
            if send_csrf:
                # The same route a browser client takes: GET /csrf sets the cookie and says it.
                token_value = self.client.get(f"{BASE}/csrf").json()["csrf_token"]
                self.headers["X-CSRFToken"] = token_value

    def request(self, method: str, path: str, body=None, *, raw: bytes | None = None, **extra):
        url = path if path.startswith(BASE) else BASE + path
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if data is None and method.upper() != "GET":
            data = ""  # an empty body, as curl sends it, not Django's empty multipart form
        if data is not None:
            kwargs.setdefault("content_type", "application/json")
            kwargs["data"] = data
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path, **extra):
        return self.request("GET", path, **extra)

    def post(self, path, body=None, **extra):
        return self.request("POST", path, body, **extra)

    def patch(self, path, body=None, **extra):
        return self.request("PATCH", path, body, **extra)

    def delete(self, path, **extra):
        return self.request("DELETE", path, **extra)
