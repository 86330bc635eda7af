from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "crewbase.bulk"
    label = "bulk"
