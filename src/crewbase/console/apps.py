from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "crewbase.console"
    label = "console"
