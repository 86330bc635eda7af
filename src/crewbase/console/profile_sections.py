"""Sections that other areas add to the member profile page.

The profile gathers what many areas know about a member (teams and skills, 2FA, login
history, presence and performance, onboarding, schedules). Each area registers a section
from its AppConfig.ready(); the profile renders them in `order`, after the built-in parts.

`context(request, member)` returns the template's context, or None to leave the section
out (for example when the viewer lacks the permission). The template receives that
context plus `member`, `request` and `section`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    key: str
    title: str
    template: str
    context: Callable[[object, object], dict | None]
    order: int = 100


_SECTIONS: dict[str, ProfileSection] = {}


def register(section: ProfileSection) -> None:
    _SECTIONS[section.key] = section


def render_list(request, member) -> list[tuple[ProfileSection, dict]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, member)
        if context is not None:
            shown.append((section, {**context, "member": member, "section": section}))
    return shown
