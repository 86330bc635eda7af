"""The login history section of the member profile (ACT-4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crewbase.console.profile_sections import ProfileSection, register
from crewbase.signin import history


def _context(request, member):
    actor = request.actor
    if not actor or not history.may_view(actor, member):
        return None
    if member.is_invited:
        return None  # has never signed in to this account
    return {"history": history.login_history(actor, member)}


register(
    ProfileSection(
        key="login_history",
        title=_("Sign-in history"),
        template="signin/_login_history.html",
        order=30,
        context=_context,
    )
)
