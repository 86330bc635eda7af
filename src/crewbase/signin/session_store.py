"""Django's database sessions, refusing malformed session keys before they reach a query, and
writing a signed-in session's row once.

Keys: Django only checks that a key is at least 8 characters long; a forged cookie holding a
NUL byte then reaches PostgreSQL, which refuses NUL in text, and the request failed with a 500
(FAIL-2). Keys Django makes are 32 lower-case letters and digits; anything else is simply
no session, as for an unknown key.

One write per sign-in (issue 6): signing in gives the session a new key (cycle_key). Django
then probes the table for the key, inserts an empty row at once and updates it when the
response goes out: a query and two writes. Here the new key (32 random characters: 165 bits)
is only chosen, and the row is inserted by the next save, which the sign-in makes inside its
own transaction (people.login_form); a save with nothing new since then writes nothing.
"""

import re

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string

SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


class SessionStore(DatabaseSessionStore):
    _row_pending = False  # a new key whose row is not written yet
    _written = None  # (key, serialized data) of this object's last write

    @property
    def row_pending(self) -> bool:
        """A key chosen by cycle_key whose row the next save inserts."""
        return self._row_pending

    def _validate_session_key(self, key):
        return isinstance(key, str) and SESSION_KEY.fullmatch(key) is not None

    def cycle_key(self):
        data = self._session
        old_key = self.session_key
        self._session_key = get_random_string(32, VALID_KEY_CHARS)
        self._row_pending = True
        self._session_cache = data
        self.modified = True
        if old_key:
            self.delete(old_key)

    def save(self, must_create=False):
        if self.session_key is None or not self._row_pending:
            if self._unchanged_since_written():
                return
            super().save(must_create=must_create)
            self._note_written()
            return
        while True:
            try:
                super().save(must_create=True)
            except CreateError:  # that key is taken after all: choose another
                self._session_key = get_random_string(32, VALID_KEY_CHARS)
                continue
            self._row_pending = False
            self._note_written()
            return

    def _state(self):
        # The serialized data, not the stored text: that is signed with a timestamp. The
        # expiry chosen for the session is in the data; its row's date moves only by the
        # moments between two saves.
        return self.session_key, self.serializer().dumps(self._get_session())

    def _unchanged_since_written(self) -> bool:
        return self._written is not None and self._written == self._state()

    def _note_written(self) -> None:
        self._written = self._state()
