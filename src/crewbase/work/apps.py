from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "crewbase.work"
    label = "work"

    def ready(self):
        from crewbase.work import (
            events,  # noqa: F401  (registers the activity types)
            list_columns,
            profile,
        )

        list_columns.register_all()
        profile.register_all()
