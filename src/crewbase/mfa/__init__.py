"""Second factors: TOTP, email one-time codes by role, required 2FA (AUTH-4..6)."""
