from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "crewbase.access"
    label = "access"
