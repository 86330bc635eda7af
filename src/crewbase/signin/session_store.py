"""Django's database sessions, refusing malformed session keys before they reach a query.

Django only checks that a key is at least 8 characters long; a forged cookie holding a NUL
byte then reaches PostgreSQL, which refuses NUL in text, and the request failed with a 500
(FAIL-2). Keys Django makes are 32 lower-case letters and digits; anything else is simply
no session, as for an unknown key.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return isinstance(key, str) and SESSION_KEY.fullmatch(key) is not None
