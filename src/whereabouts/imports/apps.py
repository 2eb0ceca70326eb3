from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "whereabouts.imports"
    label = "imports"
    verbose_name = "Imports"
