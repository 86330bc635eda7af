from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crewbase.accounts"
    label = "accounts"
