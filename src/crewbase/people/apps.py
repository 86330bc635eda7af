from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_search_and_counts_in_step(sender, using, **kwargs):
    # A later migration that rebuilds people_member on SQLite drops its triggers.
    from django.db import connections

    from crewbase.people.member_counts import ensure_member_counts
    from crewbase.people.search_index import ensure_member_search_index

    ensure_member_search_index(connections[using])
    ensure_member_counts(connections[using])


class PeopleConfig(AppConfig):
    name = "crewbase.people"
    label = "people"

    def ready(self):
        post_migrate.connect(_keep_search_and_counts_in_step, sender=self)
        # Sign-in, sign-out and password-reset activity (connects signal receivers).
        from crewbase.people import signin  # noqa: F401
