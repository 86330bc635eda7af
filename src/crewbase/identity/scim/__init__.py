"""SCIM 2.0 provisioning at /scim/v2 (SSO-4)."""
