from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crewbase.core"
    label = "core"
