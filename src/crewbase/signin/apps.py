from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "crewbase.signin"
    label = "signin"

    def ready(self) -> None:
        from crewbase.signin import events, profile, receivers  # noqa: F401
