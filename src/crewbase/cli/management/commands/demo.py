"""`crewbase demo`: the "Acme Support" demo account; running it again adds nothing."""

from django.conf import settings

from crewbase.cli import demo
from crewbase.cli.base import CrewbaseCommand


def _by_role() -> dict[str, list[str]]:
    labels = {"admin": "Admin", "supervisor": "Supervisor", "editor": "Editor"}
    labels |= {"read_only": "Read-only", "agent": "Agent"}
    grouped: dict[str, list[str]] = {}
    for email, _first, _last, role_key, agent_access, _days in demo.PEOPLE:
        note = "" if agent_access or role_key != "agent" else " (no agent seat)"
        grouped.setdefault(labels[role_key], []).append(email + note)
    return grouped


class Command(CrewbaseCommand):
    help = (
        'Create the demo account "Acme Support" with members in every built-in role, teams, '
        "divisions, queues, tickets, macros, saved views and three pending invitations. "
        "Idempotent: running it again creates nothing twice."
    )

    def handle(self, *args, **options):
        self.progress("Loading the demo account…")
        result = demo.load_demo()
        if result.made:
            made = ", ".join(f"{what}: {n}" for what, n in result.made.items())
            self.progress(f"Created: {made}.")
        else:
            self.progress("The demo account was already complete; nothing added.")
        base = settings.CREWBASE_BASE_URL
        lines = [
            f'Demo account "{demo.ACCOUNT_NAME}" (id {result.account.pk}) is ready.',
            f"Open {base}/ and sign in at {base}{settings.LOGIN_URL}",
            f"  as the owner:  {demo.OWNER_EMAIL}",
            f"  password:      {demo.DEMO_PASSWORD}  (the same for every demo member)",
            "  or as another member:",
            *(f"    {role:<12} {', '.join(emails)}" for role, emails in _by_role().items()),
        ]
        if settings.SMTP_URL:
            lines.append("Mail (invitations, resets) is sent through the SMTP server in SMTP_URL.")
        else:
            lines.append(
                f"Mail is not sent anywhere: read it at {base}/dev/mailbox/ "
                f"(files in {settings.DEV_MAILBOX_DIR}) once the worker has delivered it."
            )
        for line in lines:
            self.stdout.write(line)
