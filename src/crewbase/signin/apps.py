from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "crewbase.signin"
    label = "signin"
