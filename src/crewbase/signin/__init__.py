"""Sign-in protection and history: throttling (AUTH-2), login history (ACT-4)."""
