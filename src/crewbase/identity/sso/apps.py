from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "crewbase.identity.sso"
    label = "sso"

    def ready(self) -> None:
        from crewbase.identity.sso import events, list_columns  # noqa: F401
