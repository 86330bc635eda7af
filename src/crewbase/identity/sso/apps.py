from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "crewbase.identity.sso"
    label = "sso"
