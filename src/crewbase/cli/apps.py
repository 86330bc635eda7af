from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "crewbase.cli"
    label = "cli"
