from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crewbase.api"
    label = "api"
