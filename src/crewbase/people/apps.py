from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "crewbase.people"
    label = "people"
