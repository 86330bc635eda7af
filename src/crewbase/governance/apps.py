from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "crewbase.governance"
    label = "governance"
