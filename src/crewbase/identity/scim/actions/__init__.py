"""Every SCIM state change: the token, users (members) and groups (teams)."""
