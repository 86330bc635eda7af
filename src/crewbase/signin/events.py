"""Activity types of this area (ACT-1)."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label, _category in [
    ("auth.locked_out", _("Sign-in locked after failed attempts"), "sign-in"),
    ("auth.session_ended", _("Session ended"), "sign-in"),
    ("member.avatar_changed", _("Profile picture changed"), "members"),
]:
    register(_key, _label, _category)
