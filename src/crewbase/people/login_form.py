"""allauth's sign-in form, its sign-in written in one transaction (issue 6).

A password sign-in writes in several places: the session row, the person's last login,
allauth's session tracking, the verified address, the member's last sign-in and the activity
event (or, when a stage stops it, the emailed code and its outbox message). Each used to
commit on its own; on PostgreSQL every commit waits for its WAL flush. Here they commit
together, the session row included (signin.session_store writes it once), so a sign-in is
recorded whole or not at all. The password itself is checked before, in clean(), outside
any transaction, so no lock is held while Argon2id runs.
"""

from allauth.account.forms import LoginForm
from django.db import transaction


class CrewbaseLoginForm(LoginForm):
    def login(self, request, redirect_url=None):
        with transaction.atomic():
            response = super().login(request, redirect_url)
            if request.session.modified:
                request.session.save()
        return response
