"""The console navigation: one entry per page, shown only to members whose role allows it.

Each entry is (label, url name, permission). Add a page with a one-line append; the
permission is the same one the page's view requires, so a hidden link is also a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crewbase.access import policy


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in member


NAV: list[NavEntry] = [
    NavEntry(_("Home"), "home", None),
    NavEntry(_("Members"), "members", "users.view"),
    NavEntry(_("Invite"), "invite", "users.invite"),
    NavEntry(_("Import CSV"), "bulk_import", "users.invite"),
    NavEntry(_("Roles"), "roles", "users.view"),
    NavEntry(_("Teams"), "org_teams", "users.view"),
    NavEntry(_("Skills"), "org_skills", "users.view"),
    NavEntry(_("Queues"), "org_queues", "users.view"),
    NavEntry(_("Divisions"), "org_divisions", "users.view"),
    NavEntry(_("Activity"), "activity", "audit.view"),
    NavEntry(_("Access review"), "governance_access_review", "audit.view"),
    NavEntry(_("Billing"), "billing", "billing.manage"),
    NavEntry(_("Security"), "security", "security.manage"),
    NavEntry(_("Webhooks"), "webhooks", "security.manage"),
    NavEntry(_("Single sign-on"), "sso:connections", "security.manage"),
    NavEntry(_("Settings"), "settings", None),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def links_for(request) -> list[NavLink]:
    actor = getattr(request, "actor", None)
    if not actor:
        return []
    links = []
    for entry in NAV:
        if entry.permission is not None and not policy.can(actor, entry.permission):
            continue
        url = reverse(entry.url_name)
        # The longest matching prefix is the current page ("/" would match everything).
        links.append(NavLink(entry.label, url, False))
    # Home ("/") is current only on itself: as a prefix it would claim pages with no entry.
    current = max(
        (
            link
            for link in links
            if request.path.startswith(link.url) and (link.url != "/" or request.path == "/")
        ),
        key=lambda link: len(link.url),
        default=None,
    )
    return [NavLink(x.label, x.url, x is current) for x in links]
