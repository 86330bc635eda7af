from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "crewbase.signin"
    label = "signin"

    def ready(self) -> None:
        from crewbase.signin import events, profile, receivers  # noqa: F401
        from crewbase.signin.session_tracking import replace_allauth_receiver

        replace_allauth_receiver()
