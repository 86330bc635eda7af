from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "crewbase.audit"
    label = "audit"
