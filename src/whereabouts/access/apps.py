from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "whereabouts.access"
    label = "access"
    verbose_name = "Access and audit"
