from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "crewbase.bulk"
    label = "bulk"

    def ready(self):
        from crewbase.bulk import events  # noqa: F401
        from crewbase.bulk.import_actions import IMPORT_OUTBOX_KIND, send_queued_import
        from crewbase.bulk.runner import OUTBOX_KIND, run_job_slice
        from crewbase.core.delivery import register_sender

        # The worker delivers outbox rows of this kind by running a slice of a bulk job.
        register_sender(OUTBOX_KIND, run_job_slice)
        # ... and a queued CSV file by sending it.
        register_sender(IMPORT_OUTBOX_KIND, send_queued_import)
