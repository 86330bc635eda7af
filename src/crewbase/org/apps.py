from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "crewbase.org"
    label = "org"
