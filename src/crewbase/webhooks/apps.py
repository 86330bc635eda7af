from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "crewbase.webhooks"
    label = "webhooks"

    def ready(self):
        # The outbox worker delivers webhook rows through the same claim/retry/attempt loop.
        from crewbase.core.delivery import register_sender
        from crewbase.core.models import OutboxKind
        from crewbase.webhooks.delivery import send_webhook

        register_sender(OutboxKind.WEBHOOK, send_webhook)
