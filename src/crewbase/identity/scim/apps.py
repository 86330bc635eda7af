"""SCIM 2.0 provisioning at /scim/v2 (SSO-4)."""

from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "crewbase.identity.scim"
    label = "scim"

    def ready(self):
        from crewbase.identity.scim import events, profile  # noqa: F401
