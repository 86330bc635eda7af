from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "crewbase.mfa"
    label = "mfa"
