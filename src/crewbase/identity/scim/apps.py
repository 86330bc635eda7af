from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "crewbase.identity.scim"
    label = "scim"
