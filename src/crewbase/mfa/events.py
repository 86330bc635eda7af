"""Activity types of second factors (ACT-1)."""

from crewbase.audit.registry import register

for _key, _label in [
    ("mfa.totp_enabled", "Two-factor authentication turned on"),
    ("mfa.totp_disabled", "Two-factor authentication turned off"),
    ("mfa.recovery_codes_regenerated", "Recovery codes regenerated"),
    ("mfa.reset_by_admin", "Two-factor authentication reset by an admin"),
    ("mfa.policy_changed", "Two-factor policy changed"),
    ("auth.email_code_sent", "Sign-in code emailed"),
    ("auth.email_code_verified", "Sign-in code accepted"),
    ("auth.email_code_failed", "Wrong sign-in code"),
]:
    register(_key, _label, "security")
