from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "crewbase.governance"
    label = "governance"

    def ready(self) -> None:
        from crewbase.core import worker
        from crewbase.governance import (
            campaigns,
            events,
            list_columns,
            onboarding,
            profile,
            schedules,
        )

        del events  # registered on import
        list_columns.register_all()
        profile.register_all()
        worker.register_periodic("governance.schedules", schedules.run_due)
        worker.register_periodic("governance.review_reminders", campaigns.send_due_reminders)
        worker.register_periodic("governance.onboarding", onboarding.sweep_completions)
