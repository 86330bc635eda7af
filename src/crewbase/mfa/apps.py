from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "crewbase.mfa"
    # "mfa" is allauth.mfa's label, which this app builds on.
    label = "crewbase_mfa"
    verbose_name = "Second factors"

    def ready(self) -> None:
        from crewbase.mfa import events, list_columns, profile, signals  # noqa: F401
