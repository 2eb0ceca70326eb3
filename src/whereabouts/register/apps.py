from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "whereabouts.register"
    label = "register"
    verbose_name = "Register"
