"""Activity types SCIM writes (ACT-1); member and team changes reuse the people/org types."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label in [
    ("scim.token_created", _("SCIM token created")),
    ("scim.token_rotated", _("SCIM token rotated")),
    ("scim.token_revoked", _("SCIM token revoked")),
    ("scim.user_provisioned", _("Provisioned by SCIM")),
    ("scim.user_updated", _("SCIM attributes changed")),
    ("scim.group_updated", _("SCIM group attributes changed")),
]:
    register(_key, _label, "security" if "token" in _key else "members")
