"""Activity types of second factors (ACT-1)."""

from django.utils.translation import gettext_lazy as _

from crewbase.audit.registry import register

for _key, _label in [
    ("mfa.totp_enabled", _("Two-factor authentication turned on")),
    ("mfa.totp_disabled", _("Two-factor authentication turned off")),
    ("mfa.recovery_codes_regenerated", _("Recovery codes regenerated")),
    ("mfa.reset_by_admin", _("Two-factor authentication reset by an admin")),
    ("mfa.policy_changed", _("Two-factor policy changed")),
    ("auth.email_code_sent", _("Sign-in code emailed")),
    ("auth.email_code_verified", _("Sign-in code accepted")),
    ("auth.email_code_failed", _("Wrong sign-in code")),
]:
    register(_key, _label, "security")
