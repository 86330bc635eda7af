"""Activity types of this area (ACT-1)."""

from crewbase.audit.registry import register

for _key, _label, _category in [
    ("auth.locked_out", "Sign-in locked after failed attempts", "sign-in"),
    ("auth.session_ended", "Session ended", "sign-in"),
    ("member.avatar_changed", "Profile picture changed", "members"),
]:
    register(_key, _label, _category)
