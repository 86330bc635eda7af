from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "crewbase.org"
    label = "org"

    def ready(self) -> None:
        from crewbase.org import events, list_columns, profile  # noqa: F401
