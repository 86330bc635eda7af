"""Activity types SCIM writes (ACT-1); member and team changes reuse the people/org types."""

from crewbase.audit.registry import register

for _key, _label in [
    ("scim.token_created", "SCIM token created"),
    ("scim.token_rotated", "SCIM token rotated"),
    ("scim.token_revoked", "SCIM token revoked"),
    ("scim.user_provisioned", "Provisioned by SCIM"),
    ("scim.user_updated", "SCIM attributes changed"),
    ("scim.group_updated", "SCIM group attributes changed"),
]:
    register(_key, _label, "security" if "token" in _key else "members")
