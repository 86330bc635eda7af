from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "crewbase.work"
    label = "work"
