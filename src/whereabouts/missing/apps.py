from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "whereabouts.missing"
    label = "missing"
    verbose_name = "Missing offenders"
